"""Demo data at N times Estonia's size, for measuring the portal: `seed_demo --scale N`.

Copy 1 is Estonia itself (the 79 municipalities of the reference data); copies 2..N are made-up
municipalities ("Rapla vald 2", ...) in the same counties, with EHAK codes the real ones leave
free. In every copy the same 16 municipalities take part and the same four apply to the open
call, so each copy is as rich as Estonia: every participation gets its budget, an action plan
with indicators and quarterly measurements, a ledger, and counselling sessions where a provider
is assigned. The rows are written with bulk_create, following the rules the services keep (the
grant of 35 000 EUR, disbursements and spending within it and within the participation's
dates, sessions only by the assigned provider). Random choices come from a generator seeded by
the seed and the municipality's code, so a seed always gives the same data.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from accounts.models import Role, User
from actionplans.models import (
    ActionPlan,
    Component,
    Goal,
    Indicator,
    Measurement,
    PlanIndicator,
    Problem,
    ProgressUpdate,
    RootCause,
    SafetyBody,
)
from actionplans.models import Activity as PlanActivity
from actionplans.services import UPDATE_DUE_AFTER, quarter_end, quarters
from applications.models import (
    Activity,
    Application,
    CouncilDecision,
    Status,
    StatusChange,
    TeamMember,
)
from applications.models import BudgetLine as ApplicationBudgetLine
from counselling.models import Attendee, CounsellingSession, NextStep
from grants.models import (
    BudgetLine,
    BudgetYear,
    ExpenditureReview,
    LedgerEntry,
    yearly_shares,
)
from learning.models import SharingEvent, Training, TrainingParticipant
from programme.models import (
    BudgetCategory,
    Call,
    County,
    Municipality,
    Participation,
    ServiceProvider,
)
from turvaportaal.lib.paging import grouped

# What the demo (seed_demo without --scale) sets up in Estonia, repeated in every copy.
PARTICIPATING = ["0171", "0321", "0511", "0668", "0712", "0714", "0784", "0897"]
PARTICIPATING += ["0205", "0284", "0441", "0486", "0567", "0663", "0857", "0919"]
COUNSELLED = ["0668", "0784", "0567", "0205"]
APPLYING = {"0198": True, "0736": True, "0793": True, "0296": False}  # code: submitted
DEMO_PROVIDER = "Turvalise Kogukonna Nõustajad OÜ"
MAX_SCALE = 126  # 4-digit EHAK codes: 79 real, 9 921 free for made-up copies

LEDGER_EXPENDITURES = 18
SESSIONS = 12
INDICATORS = 3
BATCH = 5000


@dataclass
class Built:
    """How many rows of each kind the builder wrote."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, rows: list[Any]) -> None:
        self.counts[name] = self.counts.get(name, 0) + len(rows)


def _bulk(model: type[models.Model], rows: list[Any], built: Built, **options: Any) -> list[Any]:
    created = model._default_manager.bulk_create(rows, batch_size=BATCH, **options)
    built.add(model._meta.label, rows)
    return created


def _rng(seed: int, code: str) -> random.Random:
    return random.Random(f"{seed}:{code}")


def _between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


@transaction.atomic
def build(*, scale: int, seed: int, log: Callable[[str], None] = print) -> Built:
    """Bring the demo data up to `scale` copies of Estonia; running it again adds nothing."""
    if not 1 <= scale <= MAX_SCALE:
        raise ValueError(f"The scale must be between 1 and {MAX_SCALE}.")
    built = Built()
    copies = _municipalities(scale, built)
    log(f"municipalities: {Municipality.objects.count()}")
    ministry = User.objects.get(email="ministry@example.org")
    providers = _providers(scale, copies, built)
    users = _people(copies, built)
    _participations(copies, providers, built)
    _applications(copies, users, built)
    log(f"participations: {Participation.objects.count()}")
    participations = list(
        Participation.objects.select_related("municipality", "service_provider").order_by("pk")
    )
    _budgets(participations, built)
    _plans(participations, users, seed, built)
    log(f"plans: {ActionPlan.objects.count()}")
    _ledgers(participations, ministry, seed, built)
    log(f"ledger entries: {LedgerEntry.objects.count()}")
    provider_users = {
        u.service_provider_id: u for u in User.objects.filter(role=Role.PROVIDER).order_by("pk")
    }
    _counselling(participations, provider_users, users, seed, built)
    log(f"counselling sessions: {CounsellingSession.objects.count()}")
    _learning(copies, built)
    log(f"trainings: {Training.objects.count()}, sharing events: {SharingEvent.objects.count()}")
    return built


def _municipalities(scale: int, built: Built) -> dict[int, dict[str, Municipality]]:
    """Each copy's municipalities by the code of the real one they copy."""
    # The made-up copies are the ones whose name ends in their copy's number.
    real = [m for m in Municipality.objects.order_by("ehak_code") if not m.name[-1].isdigit()]
    taken = set(Municipality.objects.values_list("ehak_code", flat=True))
    free = iter(code for code in (f"{n:04}" for n in range(10_000)) if code not in taken)
    by_name = {m.name: m for m in Municipality.objects.all()}
    rows = []
    for copy in range(2, scale + 1):
        for municipality in real:
            name = f"{municipality.name} {copy}"
            if name not in by_name:
                rows.append(
                    Municipality(
                        ehak_code=next(free),
                        name=name,
                        kind=municipality.kind,
                        county_id=municipality.county_id,
                        population=municipality.population,
                    )
                )
    _bulk(Municipality, rows, built)
    by_name = {m.name: m for m in Municipality.objects.all()}
    # Each county lets N times as many of its municipalities take part.
    for county in County.objects.all():
        base = county.participant_limit
        if (
            base * scale > base
            and not County.objects.filter(
                pk=county.pk, participant_limit__gte=base * scale
            ).exists()
        ):
            county.participant_limit = base * scale
            county.save(update_fields=["participant_limit"])
    copies: dict[int, dict[str, Municipality]] = {1: {m.ehak_code: m for m in real}}
    for copy in range(2, scale + 1):
        copies[copy] = {m.ehak_code: by_name[f"{m.name} {copy}"] for m in real}
    return copies


def _providers(
    scale: int, copies: dict[int, dict[str, Municipality]], built: Built
) -> dict[int, ServiceProvider]:
    """Each copy has its own provider, as the demo provider counsels four of Estonia's."""
    names = {copy: f"{DEMO_PROVIDER[:-3]} {copy} OÜ" for copy in range(2, scale + 1)}
    existing = set(ServiceProvider.objects.values_list("name", flat=True))
    _bulk(
        ServiceProvider,
        [
            ServiceProvider(name=name, email=f"info-{copy}@example.org")
            for copy, name in names.items()
            if name not in existing
        ],
        built,
    )
    providers = {p.name: p for p in ServiceProvider.objects.all()}
    result = {1: providers[DEMO_PROVIDER]}
    result.update({copy: providers[name] for copy, name in names.items()})
    password = User.objects.get(email="provider@example.org").password
    _bulk(
        User,
        [
            User(
                email=f"provider-{copy}@example.org",
                full_name=f"Nõustaja {copy}",
                role=Role.PROVIDER,
                service_provider=provider,
                password=password,
            )
            for copy, provider in result.items()
            if copy > 1
        ],
        built,
        ignore_conflicts=True,
    )
    return result


def _people(copies: dict[int, dict[str, Municipality]], built: Built) -> dict[int, User]:
    """One official of every participating or applying municipality, by municipality id."""
    password = make_password(None)  # made-up officials do not sign in with a password
    rows = [
        User(
            email=f"kov-{municipality.ehak_code}@example.org",
            full_name=f"Ametnik {municipality.ehak_code}",
            position="Turvalisuse spetsialist",
            role=Role.MUNICIPALITY,
            municipality=municipality,
            password=password,
        )
        for by_code in copies.values()
        for code in [*PARTICIPATING, *APPLYING]
        for municipality in [by_code[code]]
    ]
    _bulk(User, rows, built, ignore_conflicts=True)
    users: dict[int, User] = {}
    for user in User.objects.filter(role=Role.MUNICIPALITY).order_by("-pk"):
        users[user.municipality_id] = user  # type: ignore[index]
    return users


def _participations(
    copies: dict[int, dict[str, Municipality]],
    providers: dict[int, ServiceProvider],
    built: Built,
) -> None:
    """The copies take part as Estonia's 16 do: the same cohort, dates and grant."""
    model = {
        p.municipality.ehak_code: p for p in Participation.objects.select_related("municipality")
    }
    taking_part = set(Participation.objects.values_list("municipality_id", flat=True))
    rows = []
    for copy, by_code in copies.items():
        for code in PARTICIPATING:
            municipality = by_code[code]
            if municipality.pk in taking_part or code not in model:
                continue
            like = model[code]
            rows.append(
                Participation(
                    municipality=municipality,
                    cohort_id=like.cohort_id,
                    start_on=like.start_on,
                    end_on=like.end_on,
                    grant_amount=like.grant_amount,
                    source=Participation.Source.IMPORT,
                    service_provider=providers[copy] if code in COUNSELLED else None,
                )
            )
    _bulk(Participation, rows, built)


def _applications(
    copies: dict[int, dict[str, Municipality]], users: dict[int, User], built: Built
) -> None:
    """The copies of the four applicants apply to the open call as they do."""
    call = Call.objects.filter(title__endswith="(demo)").order_by("-pk").first()
    if call is None:
        return
    template = {
        a.municipality.ehak_code: a
        for a in Application.objects.filter(call=call).select_related("municipality")
    }
    decision = CouncilDecision.objects.filter(application__call=call).order_by("pk").first()
    applied = set(Application.objects.filter(call=call).values_list("municipality_id", flat=True))
    rows = []
    for copy, by_code in copies.items():
        for code in APPLYING:
            municipality = by_code[code]
            if copy == 1 or municipality.pk in applied or code not in template:
                continue
            application = Application(
                **{
                    f.attname: getattr(template[code], f.attname)
                    for f in Application._meta.concrete_fields
                    if not f.primary_key
                }
            )
            application.municipality = municipality
            application.created_by = users.get(municipality.pk)
            application.contact_email = f"kov-{municipality.ehak_code}@example.org"
            application.motivation = f"{municipality.name} soovib turvalisust planeerida."
            rows.append(application)
    created = _bulk(Application, rows, built)
    changes, lines, members, activities, decisions = [], [], [], [], []
    for application in created:
        by = users.get(application.municipality_id)
        changes.append(StatusChange(application=application, to_status=Status.DRAFT, changed_by=by))
        lines.append(
            ApplicationBudgetLine(
                application=application,
                category=BudgetCategory.STAFF,
                description="Koordinaatori töötasu osaliselt",
                amount=Decimal("18000.00"),
            )
        )
        if application.status != Status.SUBMITTED:
            continue
        changes.append(
            StatusChange(
                application=application,
                from_status=Status.DRAFT,
                to_status=Status.SUBMITTED,
                changed_by=by,
            )
        )
        lines += [
            ApplicationBudgetLine(
                application=application,
                category=BudgetCategory.TRAINING,
                description="Ennetuskoolitused ja seminarid",
                amount=Decimal("9500.00"),
            ),
            ApplicationBudgetLine(
                application=application,
                category=BudgetCategory.SERVICES,
                description="Olukorra analüüs",
                amount=Decimal("7500.00"),
            ),
        ]
        members += [
            TeamMember(
                application=application, name="Mari Maasikas", kind="official", role="Koordinaator"
            ),
            TeamMember(
                application=application,
                name="Jaan Jõgi",
                kind="council_member",
                role="Volikogu esindaja",
            ),
        ]
        activities += [
            Activity(
                application=application,
                title="Turvalisuse olukorra analüüs",
                responsible="Koordinaator",
                start_month=1,
                end_month=4,
            ),
            Activity(
                application=application,
                title="Turvalisuse tegevuskava koostamine",
                responsible="Töörühm",
                start_month=5,
                end_month=9,
            ),
        ]
        if decision is not None:
            # The same one-page PDF as the demo's: the file is stored once.
            decisions.append(
                CouncilDecision(
                    application=application,
                    file=decision.file.name,
                    original_name=decision.original_name,
                    size=decision.size,
                    sha256=decision.sha256,
                    uploaded_by=by,
                )
            )
    _bulk(StatusChange, changes, built)
    _bulk(ApplicationBudgetLine, lines, built)
    _bulk(TeamMember, members, built)
    _bulk(Activity, activities, built)
    _bulk(CouncilDecision, decisions, built)


def _budgets(participations: list[Participation], built: Built) -> None:
    """As grants.services.ensure_budget for participations taken in: the whole grant is one
    line not yet allocated."""
    budgeted = set(BudgetLine.objects.values_list("participation_id", flat=True))
    lines = _bulk(
        BudgetLine,
        [
            BudgetLine(
                participation=p,
                category=BudgetCategory.OTHER,
                is_unallocated=True,
                amount=p.grant_amount,
            )
            for p in participations
            if p.pk not in budgeted
        ],
        built,
    )
    _bulk(
        BudgetYear,
        [
            BudgetYear(line=line, year=year, amount=amount)
            for line in lines
            for year, amount in yearly_shares(line.amount, line.participation).items()
        ],
        built,
    )


# Every demo plan's activities, one of each component the ministry requires: the component,
# the title, and the months of the plan the activity starts and ends in.
PLAN_ACTIVITIES = [
    (Component.RINGIST_VALJA, "Ringist Välja võrgustik", 1, 24),
    (Component.STAD, "STAD: vastutustundliku müügi koolitus", 3, 8),
    (Component.YOUTH_PREVENTION, "Huvitegevus riskinoortele", 2, 24),
    (Component.TRAINING, "Ennetuskoolitus ametnikele", 4, 5),
    (Component.SHARING, "Maakondlik kogemusseminar", 10, 10),
]


def plan_activity(
    plan: ActionPlan, goal: Goal, component: str, title: str, first: int, last: int
) -> PlanActivity:
    """One of PLAN_ACTIVITIES in a plan, not saved: under way if it has started by month 4."""
    return PlanActivity(
        plan=plan,
        goal=goal,
        title=title,
        component=component,
        start_month=first,
        end_month=last,
        responsible="Turvalisuse spetsialist",
        planned_cost=Decimal("3000.00"),
        status=PlanActivity.Status.IN_PROGRESS if first < 4 else PlanActivity.Status.PLANNED,
    )


def _plans(
    participations: list[Participation], users: dict[int, User], seed: int, built: Built
) -> None:
    """An action plan for every participation that has none, with its parts, monitored
    indicators and a measurement for every quarter that has passed."""
    today = timezone.localdate()
    planned = set(ActionPlan.objects.values_list("participation_id", flat=True))
    todo = [p for p in participations if p.pk not in planned]
    statuses = [ActionPlan.Status.APPROVED, ActionPlan.Status.SUBMITTED, ActionPlan.Status.DRAFT]
    plans = _bulk(
        ActionPlan,
        [
            ActionPlan(
                participation=p,
                status=statuses[i % 3],
                safety_field="Kodu, tänava ja kooli turvalisus, liiklus ja tuleohutus.",
                situation="Arengukava seab eesmärgiks turvalise elukeskkonna.",
                data_sources="Politsei, Päästeameti ja Transpordiameti statistika.",
                submitted_at=None if i % 3 == 2 else _at(p.start_on + timedelta(days=60)),
            )
            for i, p in enumerate(todo)
        ],
        built,
    )
    catalogue = list(
        Indicator.objects.filter(municipality=None)
        .order_by("code")
        .values_list("pk", "lower_is_better")
    )
    updates, bodies, problems, goals = [], [], [], []
    for plan, p in zip(plans, todo, strict=True):
        official = users.get(p.municipality_id)
        for first in quarters(p.start_on, p.end_on):
            due = quarter_end(first) + UPDATE_DUE_AFTER
            done = due < today
            updates.append(
                ProgressUpdate(
                    plan=plan,
                    quarter_start_on=first,
                    due_on=due,
                    narrative="Tegevused kulgesid plaanipäraselt." if done else "",
                    submitted_at=_at(due - timedelta(days=3)) if done else None,
                    submitted_by=official if done else None,
                )
            )
        bodies += [
            SafetyBody(
                plan=plan, name="Turvalisuse komisjon", role="Koordineerib", members="7 liiget"
            ),
            SafetyBody(plan=plan, name="Noorte võrgustik", role="Juhtumitöö", members="Kool, PPA"),
        ]
        problems += [
            Problem(plan=plan, title="Noorte alkoholi tarvitamine"),
            Problem(plan=plan, title="Hoonetulekahjud eramutes"),
        ]
        goals.append(Goal(plan=plan, title="Noorte riskikäitumine väheneb"))
    _bulk(ProgressUpdate, updates, built)
    _bulk(SafetyBody, bodies, built)
    problems = _bulk(Problem, problems, built)
    goals = _bulk(Goal, goals, built)
    causes = _bulk(
        RootCause,
        [
            RootCause(problem=problem, title=title)
            for problem in problems
            for title in ["Vähe vaba aja võimalusi", "Suitsuandurite puudumine"]
        ],
        built,
    )
    activities = _bulk(
        PlanActivity,
        [
            plan_activity(plan, goal, *planned)
            for plan, goal in zip(plans, goals, strict=True)
            for planned in PLAN_ACTIVITIES
        ],
        built,
    )
    # Each activity addresses one of its plan's four root causes.
    through = PlanActivity.causes.through
    _bulk(
        through,
        [
            through(activity_id=activity.pk, rootcause_id=causes[4 * (i // 5) + i % 4].pk)
            for i, activity in enumerate(activities)
        ],
        built,
    )
    monitored, values = [], []
    for plan, p in zip(plans, todo, strict=True):
        rng = _rng(seed, p.municipality.ehak_code)
        for indicator_id, lower_is_better in rng.sample(catalogue, INDICATORS):
            baseline = Decimal(rng.randint(20, 80))
            step = Decimal(rng.randint(1, 3))
            target = baseline - 4 * step if lower_is_better else baseline + 4 * step
            monitored.append(
                PlanIndicator(
                    plan=plan,
                    indicator_id=indicator_id,
                    baseline_value=baseline,
                    baseline_on=p.start_on - timedelta(days=1),
                    target_value=target,
                    target_on=p.end_on,
                )
            )
            values.append((p, baseline, step if not lower_is_better else -step, rng))
    monitored = _bulk(PlanIndicator, monitored, built)
    measurements = []
    for plan_indicator, (p, baseline, step, rng) in zip(monitored, values, strict=True):
        last = min(today, p.end_on)
        for quarter in range(1, 9):
            measured_on = p.start_on + timedelta(days=91 * quarter)
            if measured_on > last:
                break
            measurements.append(
                Measurement(
                    plan_indicator=plan_indicator,
                    value=baseline + step * quarter / 2 + Decimal(rng.randint(-1, 1)),
                    measured_on=measured_on,
                    source_note="Statistika",
                )
            )
    _bulk(Measurement, measurements, built)


def _ledgers(participations: list[Participation], ministry: User, seed: int, built: Built) -> None:
    """Two tranches of half the grant, and expenditures from the budget line that stay well
    within it; two in three reviewed, one in seven of those rejected."""
    today = timezone.localdate()
    has_entries = set(LedgerEntry.objects.values_list("participation_id", flat=True))
    lines = {
        line.participation_id: line
        for line in BudgetLine.objects.filter(category=BudgetCategory.OTHER).order_by("-pk")
    }
    entries: list[LedgerEntry] = []
    for p in participations:
        if p.pk in has_entries or p.pk not in lines:
            continue
        rng = _rng(seed, p.municipality.ehak_code)
        last = min(today, p.end_on)
        half = (p.grant_amount / 2).quantize(Decimal("0.01"))
        for tranche, on in [(1, p.start_on), (2, p.start_on + timedelta(days=365))]:
            if on <= last:
                entries.append(
                    LedgerEntry(
                        participation=p,
                        kind=LedgerEntry.Kind.DISBURSEMENT,
                        amount=half,
                        entry_on=on,
                        tranche=tranche,
                        created_by=ministry,
                    )
                )
        for index in range(LEDGER_EXPENDITURES):
            entries.append(
                LedgerEntry(
                    participation=p,
                    kind=LedgerEntry.Kind.EXPENDITURE,
                    # At most 18 × 1 500 EUR: within the line and the grant.
                    amount=Decimal(rng.randint(5_000, 150_000)) / 100,
                    entry_on=_between(rng, p.start_on, last),
                    budget_line=lines[p.pk],
                    description=rng.choice(["Ennetuskoolitus", "Teavitusmaterjalid", "Seminar"]),
                    supplier=rng.choice(["Koolituskeskus OÜ", "Trükikoda AS", "Ruumirent OÜ"]),
                    invoice_number=f"{p.municipality.ehak_code}-{index + 1}",
                    created_by=ministry,
                )
            )
    created = _bulk(LedgerEntry, entries, built)
    reviews = []
    for index, entry in enumerate(created):
        if entry.kind == LedgerEntry.Kind.EXPENDITURE and index % 3 != 0:
            approved = index % 7 != 0
            reviews.append(
                ExpenditureReview(
                    entry=entry,
                    is_approved=approved,
                    reason="" if approved else "Kulu ei ole abikõlblik.",
                    decided_by=ministry,
                    decided_at=_at(entry.entry_on + timedelta(days=7)),
                )
            )
    _bulk(ExpenditureReview, reviews, built)


def _counselling(
    participations: list[Participation],
    provider_users: dict[int, User],
    users: dict[int, User],
    seed: int,
    built: Built,
) -> None:
    """Sessions by the assigned provider, on site, online or by phone; the older ones
    confirmed by the municipality, each with an agreed next step."""
    today = timezone.localdate()
    counselled = set(CounsellingSession.objects.values_list("participation_id", flat=True))
    topics = ["action_plan", "root_causes", "indicators", "budget", "stad", "network"]
    sessions = []
    for p in participations:
        if p.service_provider_id is None or p.pk in counselled:
            continue
        rng = _rng(seed, p.municipality.ehak_code)
        last = min(today, p.end_on)
        official = users.get(p.municipality_id)
        for _index in range(SESSIONS):
            held_on = _between(rng, p.start_on, last)
            confirmed = (last - held_on).days > 30 and official is not None
            sessions.append(
                CounsellingSession(
                    participation=p,
                    service_provider_id=p.service_provider_id,
                    held_on=held_on,
                    duration_hours=Decimal(rng.randint(2, 12)) / 4,
                    format=rng.choice(["on_site", "online", "phone"]),
                    attendee_count=rng.randint(2, 8),
                    topics=rng.sample(topics, 2),
                    summary="Tegevuskava ja seireindikaatorite arutelu",
                    confirmation=CounsellingSession.Confirmation.CONFIRMED
                    if confirmed
                    else CounsellingSession.Confirmation.AWAITING,
                    answered_by=official if confirmed else None,
                    answered_at=_at(held_on + timedelta(days=7)) if confirmed else None,
                    logged_by=provider_users.get(p.service_provider_id),
                    logged_at=_at(held_on, 16),
                )
            )
    created = _bulk(CounsellingSession, sessions, built)
    _bulk(
        Attendee,
        [Attendee(session=s, name="Turvalisuse spetsialist", role="koordinaator") for s in created],
        built,
    )
    _bulk(
        NextStep,
        [
            NextStep(
                session=s,
                description="Saata täiendatud tegevuskava",
                owner="Turvalisuse spetsialist",
                due_on=s.held_on + timedelta(days=30),
                status=NextStep.Status.DONE if s.answered_by_id else NextStep.Status.OPEN,
            )
            for s in created
        ],
        built,
    )


def _like(row: models.Model, **changes: Any) -> Any:
    """A new row with the fields of the given one, but for its id and the changes."""
    fields = {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}
    del fields[row._meta.pk.attname]
    return type(row)(**(fields | changes))


def _originals(rows: list[Any]) -> list[Any]:
    """The rows that are not a copy's: a copy's title is the original's and its number."""
    titles = {row.title for row in rows}
    split = [row.title.rpartition(" ") for row in rows]
    return [
        row
        for row, (original, _space, number) in zip(rows, split, strict=True)
        if not (number.isdigit() and original in titles)
    ]


def _learning(copies: dict[int, dict[str, Municipality]], built: Built) -> None:
    """Each copy holds Estonia's trainings and sharing days with its own municipalities: the
    same people register and attend, the same municipalities present and attend."""
    estonia = {m.pk: code for code, m in copies[1].items()}

    def in_copy(copy: int, municipality_id: int | None) -> int | None:
        code = estonia.get(municipality_id)  # type: ignore[arg-type]
        return None if code is None else copies[copy][code].pk

    trainings = _originals(list(Training.objects.order_by("pk")))
    events = _originals(
        list(SharingEvent.objects.prefetch_related("presenters", "attendees").order_by("pk"))
    )
    titles = set(Training.objects.values_list("title", flat=True))
    made = [c for c in copies if c > 1 and trainings and f"{trainings[0].title} {c}" not in titles]

    copied_trainings = [(copy, t) for copy in made for t in trainings]
    created = _bulk(
        Training, [_like(t, title=f"{t.title} {copy}") for copy, t in copied_trainings], built
    )
    participants = grouped(
        (p.training_id, p)
        for p in TrainingParticipant.objects.filter(training__in=trainings).order_by("pk")
    )
    _bulk(
        TrainingParticipant,
        [
            _like(p, training_id=new.pk, municipality_id=in_copy(copy, p.municipality_id))
            for (copy, t), new in zip(copied_trainings, created, strict=True)
            for p in participants.get(t.pk, [])
            if p.municipality_id in estonia
        ],
        built,
    )

    copied_events = [(copy, e) for copy in made for e in events]
    created = _bulk(
        SharingEvent,
        [
            _like(
                e,
                title=f"{e.title} {copy}",
                recording_municipality_id=in_copy(copy, e.recording_municipality_id),
            )
            for copy, e in copied_events
        ],
        built,
    )
    for relation in ("presenters", "attendees"):
        through = getattr(SharingEvent, relation).through
        _bulk(
            through,
            [
                through(sharingevent_id=new.pk, municipality_id=in_copy(copy, m.pk))
                for (copy, e), new in zip(copied_events, created, strict=True)
                for m in getattr(e, relation).all()
                if m.pk in estonia
            ],
            built,
        )
