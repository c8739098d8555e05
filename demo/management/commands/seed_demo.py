"""Demo data for trying the portal: one person per role, calls and applications; idempotent,
never in migrations."""

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone
from pypdf import PdfWriter

from accounts import twofactor
from accounts.models import Role, User
from actionplans.models import ActionPlan, Indicator, PlanIndicator
from actionplans.services import start_plan, year_to_submit
from agreements import services as services_agreements
from applications.models import (
    Activity,
    Application,
    BudgetLine,
    CouncilDecision,
    Status,
    StatusChange,
    TeamMember,
)
from conversations import services as services_conversations
from counselling import services as services_counselling
from demo import scale
from grants import services as services_grants
from inquiries import services as services_inquiries
from learning.models import Organiser, SharingEvent, Training, TrainingParticipant, TrainingType
from notifications.models import Notification
from programme.models import (
    BudgetCategory,
    Call,
    CallStartYear,
    InfoSession,
    Municipality,
    Participation,
    PartnerAgency,
    ServiceProvider,
)
from programme.services import import_participations
from turvaportaal.lib.uploads import sha256_of

DEMO_PASSWORD = "turvaportaal-demo"
# The published TOTP secret of the demo ministry staff and admin (base32).
DEMO_TOTP_SECRET = "TURVAPORTAALDEMOTURVAPORTAALDEMO"
DATA = Path(__file__).resolve().parents[2] / "data"
TALLINN = ZoneInfo("Europe/Tallinn")


def one_page_pdf() -> bytes:
    """A blank A4 page: the demo's documents."""
    pdf = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(pdf)
    return pdf.getvalue()


def tallinn(year: int, month: int, day: int, hour: int) -> datetime:
    return datetime(year, month, day, hour, tzinfo=TALLINN)


class Command(BaseCommand):
    help = "Create or refresh the demo accounts and data (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            help="Add bulk data for N times Estonia's size (1: Estonia; see demo/scale.py).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Seed of the bulk data.")

    def handle(self, *args: object, **options: object) -> None:
        with transaction.atomic():
            people = self.seed(options)
        # After the commit and what it sets off: the sign-ins are the last lines one reads.
        self.print_logins(people)

    def seed(self, options: dict[str, object]) -> list[tuple[str, str, str, Role, dict[str, Any]]]:
        people = self.people()
        with (DATA / "participations.csv").open(encoding="utf-8") as f:
            import_participations(csv.DictReader(f))
        self.calls()
        provider = ServiceProvider.objects.get(name="Turvalise Kogukonna Nõustajad OÜ")
        Participation.objects.filter(
            municipality__ehak_code__in=["0668", "0784", "0567", "0205"]
        ).update(service_provider=provider)
        self.plan("0668", submitted=False)  # Rapla vald: a draft being written
        self.plan("0784", submitted=True)  # Tallinn: waiting for the ministry
        self.ledger("0567")  # Paide linn, in its first programme year
        self.ledger("0205")  # Hiiumaa vald
        self.counselling("0668")  # Rapla vald, whose demo login confirms sessions
        self.counselling("0567")
        self.counselling("0205")
        self.correspondence("0567")  # Paide linn: a question waits for its answer
        self.agreement_and_claim("0205")  # Hiiumaa vald: a payment claim waits for review
        self.learning()
        if options["scale"]:
            scale.build(
                scale=int(str(options["scale"])),
                seed=int(str(options["seed"])),
                log=self.stdout.write,
            )
        # The demo's story is in the portal's notices; its made-up addresses get no e-mail.
        Notification.objects.not_emailed().update(emailed_at=timezone.now())
        return people

    def print_logins(self, people: list[tuple[str, str, str, Role, dict[str, Any]]]) -> None:
        self.stdout.write(self.style.SUCCESS("Demo data is in place. Sign in with:"))
        for email, _name, _position, role, organisation in people:
            where = organisation.get("municipality") or organisation.get("service_provider") or ""
            self.stdout.write(f"  {email:<24} {DEMO_PASSWORD}   {role.label} {where}")
        self.stdout.write(
            f"Ministry staff and the admin then enter a code of TOTP secret {DEMO_TOTP_SECRET}: "
            f"add it to an authenticator app, or run  oathtool --totp -b {DEMO_TOTP_SECRET}"
        )

    def people(self) -> list[tuple[str, str, str, Role, dict[str, Any]]]:
        provider, _ = ServiceProvider.objects.update_or_create(
            name="Turvalise Kogukonna Nõustajad OÜ",
            defaults={"email": "info@example.org", "phone": "+372 600 0000"},
        )
        people: list[tuple[str, str, str, Role, dict[str, Any]]] = [
            ("admin@example.org", "Kadri Tamm", "Süsteemi administraator", Role.ADMIN, {}),
            ("ministry@example.org", "Mart Kask", "Programmijuht", Role.MINISTRY, {}),
            (
                "provider@example.org",
                "Liis Saar",
                "Nõustaja",
                Role.PROVIDER,
                {"service_provider": provider},
            ),
            (
                "kov-0668@example.org",
                "Tiit Mägi",
                "Turvalisuse spetsialist",
                Role.MUNICIPALITY,
                {"municipality": Municipality.objects.get(ehak_code="0668")},
            ),
            (
                "kov-0296@example.org",
                "Piret Lepp",
                "Sotsiaalnõunik",
                Role.MUNICIPALITY,
                {"municipality": Municipality.objects.get(ehak_code="0296")},
            ),
            (
                "kov-0567@example.org",
                "Anne Rebane",
                "Finantsjuht",
                Role.MUNICIPALITY,
                {"municipality": Municipality.objects.get(ehak_code="0567")},
            ),
            (
                "kov-0205@example.org",
                "Jaan Kuusk",
                "Arendusnõunik",
                Role.MUNICIPALITY,
                {"municipality": Municipality.objects.get(ehak_code="0205")},
            ),
        ]
        for email, full_name, position, role, organisation in people:
            user, _ = User.objects.update_or_create(
                email=email,
                defaults={
                    "full_name": full_name,
                    "position": position,
                    "role": role,
                    "municipality": None,
                    "service_provider": None,
                    "is_active": True,
                    **organisation,
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            if user.is_second_factor_required:
                twofactor.set_known_device(user=user, secret=DEMO_TOTP_SECRET)
        return people

    def calls(self) -> None:
        self.call(
            title="Turvalisuse arenguprogramm omavalitsustele, I etapp (2023–2025)",
            stage=Call.Stage.FIRST,
            opens_at=tallinn(2023, 4, 4, 10),
            deadline_at=tallinn(2023, 5, 10, 10),
            start_years={2023: 4, 2024: 4},
            info_sessions=[tallinn(2023, 4, 19, 10), tallinn(2023, 4, 20, 14)],
        )
        # An open call relative to today, so that the intake can be tried at any time.
        today = timezone.localdate()
        deadline = datetime.combine(today + timedelta(days=30), datetime.min.time(), TALLINN)
        current = self.call(
            title="Turvalisuse arenguprogramm omavalitsustele, lisavoor (demo)",
            stage=Call.Stage.SECOND,
            opens_at=deadline - timedelta(days=60),
            deadline_at=deadline.replace(hour=10),
            start_years={today.year + 1: 2, today.year + 2: 2},
            info_sessions=[deadline - timedelta(days=14, hours=-10)],
        )
        # Harju has one free place; Ida-Viru and Tartu are taken by participants.
        for code in ["0198", "0736", "0793"]:  # Harku vald, Sillamäe linn, Tartu linn
            self.application(current, code, submitted=True)
        self.application(current, "0296", submitted=False)  # Keila linn, a draft

    def call(
        self,
        *,
        title: str,
        stage: int,
        opens_at: datetime,
        deadline_at: datetime,
        start_years: dict[int, int],
        info_sessions: list[datetime],
    ) -> Call:
        call, _ = Call.objects.update_or_create(
            title=title,
            defaults={"stage": stage, "opens_at": opens_at, "deadline_at": deadline_at},
        )
        call.start_years.all().delete()
        CallStartYear.objects.bulk_create(
            CallStartYear(call=call, year=year, places=places)
            for year, places in start_years.items()
        )
        call.info_sessions.all().delete()
        InfoSession.objects.bulk_create(
            InfoSession(call=call, starts_at=at) for at in info_sessions
        )
        return call

    def application(self, call: Call, ehak_code: str, *, submitted: bool) -> None:
        municipality = Municipality.objects.get(ehak_code=ehak_code)
        by = municipality.users.first()
        application, created = Application.objects.get_or_create(
            call=call,
            municipality=municipality,
            defaults={
                "contact_name": "Kontakt Isik",
                "contact_position": "Turvalisuse spetsialist",
                "contact_email": f"kov-{ehak_code}@example.org",
                "contact_phone": "+372 5555 0000",
                "motivation": f"{municipality.name} soovib turvalisust süsteemselt planeerida.",
                "initiative": "Vallavanem on algatanud turvalisuse töörühma.",
                "safety_contribution": "Soovime ennetustööd koordineerida ja mõõta.",
                "leadership_support": "Valitsus toetab osalemist; otsus on lisatud.",
                "daily_work_readiness": "Programmi tegevused on ametnike tööplaanides.",
                "strategic_use": "Tulemused lähevad arengukava uuendamisse.",
                "part_of_daily_work": "Turvalisuse teema on iga osakonna töös.",
                "safety_networks": "Turvalisuse komisjon, noorsootöö võrgustik.",
                "preferred_start_year": call.start_year_choices[0],
            },
        )
        if not created:
            return
        StatusChange.objects.create(application=application, to_status=Status.DRAFT, changed_by=by)
        BudgetLine.objects.create(
            application=application,
            category=BudgetCategory.STAFF,
            description="Koordinaatori töötasu osaliselt",
            amount=Decimal("18000.00"),
        )
        if not submitted:
            return
        TeamMember.objects.create(
            application=application, name="Mari Maasikas", kind="official", role="Koordinaator"
        )
        TeamMember.objects.create(
            application=application,
            name="Jaan Jõgi",
            kind="council_member",
            role="Volikogu esindaja",
        )
        BudgetLine.objects.create(
            application=application,
            category=BudgetCategory.TRAINING,
            description="Ennetuskoolitused ja seminarid",
            amount=Decimal("9500.00"),
        )
        BudgetLine.objects.create(
            application=application,
            category=BudgetCategory.SERVICES,
            description="Olukorra analüüs",
            amount=Decimal("7500.00"),
        )
        analysis = Activity.objects.create(
            application=application,
            title="Turvalisuse olukorra analüüs",
            responsible="Koordinaator",
            start_month=1,
            end_month=4,
        )
        analysis.partners.set(PartnerAgency.objects.filter(code__in=["ppa", "paasteamet"]))
        Activity.objects.create(
            application=application,
            title="Turvalisuse tegevuskava koostamine",
            responsible="Töörühm",
            start_month=5,
            end_month=9,
        )
        upload = SimpleUploadedFile("volikogu-otsus.pdf", one_page_pdf(), "application/pdf")
        # Straight to the table, as the history above: the municipality may have no person in
        # the demo to upload it (applications.edit is a person's right).
        decision = CouncilDecision(
            application=application,
            original_name=upload.name or "volikogu-otsus.pdf",
            size=upload.size or 0,
            sha256=sha256_of(upload),
            uploaded_by=by,
        )
        decision.file.save("decision.pdf", upload, save=False)
        decision.save()
        StatusChange.objects.create(
            application=application,
            from_status=Status.DRAFT,
            to_status=Status.SUBMITTED,
            changed_by=by,
        )
        application.status = Status.SUBMITTED
        application.submitted_at = min(timezone.now(), call.deadline_at - timedelta(days=1))
        application.save(update_fields=["status", "submitted_at"])

    def plan(self, ehak_code: str, *, submitted: bool) -> None:
        participation = Participation.objects.get(municipality__ehak_code=ehak_code)
        if ActionPlan.objects.filter(participation=participation).exists():
            return
        plan = start_plan(participation=participation)
        plan.safety_field = (
            "Turvalisus tähendab meie jaoks kodu, tänava ja kooli turvalisust, liiklust, "
            "tuleohutust ning noorte riskikäitumise ennetamist."
        )
        plan.situation = (
            "Arengukava seab eesmärgiks turvalise elukeskkonna; valdkondlikud kavad katavad "
            "noorsootöö ja sotsiaalhoolekande."
        )
        plan.data_sources = "Politsei, Päästeameti ja Transpordiameti statistika; noorte uuring."
        plan.save()
        plan.bodies.create(name="Turvalisuse komisjon", role="Koordineerib", members="7 liiget")
        plan.bodies.create(name="Noorte võrgustik", role="Juhtumitöö", members="Kool, PPA, KOV")
        problem = plan.problems.create(title="Noorte alkoholi tarvitamine")
        leisure = problem.causes.create(title="Vähe vaba aja võimalusi")
        sales = problem.causes.create(title="Alkoholi müük alaealistele")
        fires = plan.problems.create(title="Hoonetulekahjud eramutes")
        detectors = fires.causes.create(title="Suitsuandurite puudumine")
        goal = plan.goals.create(title="Noorte riskikäitumine väheneb")
        # The root cause each of the plan's activities addresses, in their order.
        causes = [leisure, sales, leisure, sales, detectors]
        for planned, cause in zip(scale.PLAN_ACTIVITIES, causes, strict=True):
            activity = scale.plan_activity(plan, goal, *planned)
            activity.save()
            activity.causes.add(cause)
        start = participation.start_on
        for code, baseline, target, values in [
            ("BUILDING_FIRES", "12", "8", ["11", "10", "11", "9"]),
            ("ALCOHOL_SALES_VIOLATIONS", "9", "3", ["8", "7", "7", "5"]),
            ("FEELING_SAFE", "71", "80", ["72", "72", "74", "70"]),
        ]:
            monitored = PlanIndicator.objects.create(
                plan=plan,
                indicator=Indicator.objects.get(code=code, municipality=None),
                baseline_value=Decimal(baseline),
                baseline_on=start - timedelta(days=1),
                target_value=Decimal(target),
                target_on=participation.end_on,
            )
            for quarter, value in enumerate(values, 1):
                monitored.measurements.create(
                    value=Decimal(value),
                    measured_on=start + timedelta(days=91 * quarter),
                    source_note="Demo",
                )
            # Each year's target on the way from the baseline to the end's.
            years = participation.calendar_years
            for n, year in enumerate(years, 1):
                step = (Decimal(target) - Decimal(baseline)) * n / len(years)
                monitored.yearly_targets.create(year=year, value=Decimal(baseline) + step)
        if submitted:
            ActionPlan.objects.filter(pk=plan.pk).update(
                status=ActionPlan.Status.SUBMITTED,
                submitted_at=timezone.now(),
                submitted_year=year_to_submit(plan),
            )

    def correspondence(self, ehak_code: str) -> None:
        """A message from the provider and the ministry's question on the newest expenditure,
        waiting for the municipality's answer."""
        participation = Participation.objects.get(municipality__ehak_code=ehak_code)
        if participation.messages.exists():
            return
        services_conversations.post_message(
            participation=participation,
            user=User.objects.get(email="provider@example.org"),
            body="Tere! Järgmine nõustamiskohtumine on neljapäeval kell 10 vallamajas.",
        )
        entry = participation.ledger_entries.filter(review__isnull=True).order_by("-pk").first()
        if entry is not None:
            services_inquiries.ask_for_information(
                thing=entry,
                question="Palun lisage arvele hankemenetluse viide.",
                user=User.objects.get(email="ministry@example.org"),
            )

    def ledger(self, ehak_code: str) -> None:
        participation = Participation.objects.get(municipality__ehak_code=ehak_code)
        if participation.ledger_entries.exists():
            return
        ministry = User.objects.get(email="ministry@example.org")
        official = User.objects.get(email=f"kov-{ehak_code}@example.org")
        today = timezone.localdate()
        [line] = participation.budget_lines.all()[:1]
        services_grants.record_disbursement(
            participation=participation,
            amount=Decimal("17500.00"),
            entry_on=max(participation.start_on, today - timedelta(days=60)),
            tranche=1,
            user=ministry,
        )
        for days_ago, amount, supplier in [
            (50, "1200.00", "Koolituskeskus OÜ"),
            (20, "845.50", "Trükikoda AS"),
        ]:
            entry = services_grants.record_expenditure(
                participation=participation,
                budget_line=line,
                amount=Decimal(amount),
                entry_on=max(participation.start_on, today - timedelta(days=days_ago)),
                description="Ennetuskoolitus" if days_ago == 50 else "Teavitusmaterjalid",
                supplier=supplier,
                invoice_number=f"{ehak_code}-{days_ago}",
                document=None,
                user=official,
            )
            if days_ago == 50:
                services_grants.review_expenditure(
                    entry=entry, approve=True, reason="", user=ministry
                )

    def agreement_and_claim(self, ehak_code: str) -> None:
        """The partnership agreement, and a payment claim of the last quarter's expenditures
        with their documents, submitted: the ministry's to review line by line."""
        participation = Participation.objects.get(municipality__ehak_code=ehak_code)
        if participation.payment_claims.exists():
            return
        ministry = User.objects.get(email="ministry@example.org")
        official = User.objects.get(email=f"kov-{ehak_code}@example.org")
        services_agreements.save_agreement(
            participation=participation,
            user=ministry,
            terms={
                "number": f"2.1-3/{participation.start_on:%y}/{ehak_code}",
                "signed_on": participation.start_on,
                "ministry_signatory": "Mari Mets, kantsler",
                "municipality_signatory": "Jaan Tamm, vallavanem",
            },
        )
        today = timezone.localdate()
        line = participation.budget_lines.order_by("pk")[0]
        entries = [
            services_grants.record_expenditure(
                participation=participation,
                budget_line=line,
                amount=Decimal(amount),
                entry_on=max(participation.start_on, today - timedelta(days=days_ago)),
                description=description,
                supplier=supplier,
                invoice_number=f"{ehak_code}-K{days_ago}",
                document=SimpleUploadedFile("arve.pdf", one_page_pdf(), "application/pdf"),
                user=official,
            )
            for days_ago, amount, description, supplier in [
                (40, "640.00", "Noorte ennetusõpe", "Ennetuskool OÜ"),
                (10, "215.80", "Suitsuandurid eakatele", "Tuleohutus AS"),
            ]
        ]
        claim = services_grants.create_claim(
            participation=participation,
            period_start=max(participation.start_on, today - timedelta(days=90)),
            period_end=today,
            forecast_amount=Decimal("3000.00"),
            forecast_note="Koolitused ja teavituskampaania järgmises kvartalis.",
            user=official,
        )
        services_grants.add_to_claim(claim=claim, entries=entries, user=official)
        services_grants.submit_claim(claim=claim, user=official)

    def counselling(self, ehak_code: str) -> None:
        """Three sessions: one confirmed, one awaiting the municipality, with a step overdue."""
        participation = Participation.objects.get(municipality__ehak_code=ehak_code)
        if participation.counselling_sessions.exists():
            return
        provider = User.objects.get(email="provider@example.org")
        municipality_user = User.objects.filter(municipality=participation.municipality).first()
        last_day = min(timezone.localdate(), participation.end_on)
        sessions = [
            (75, "2", "on_site", ["action_plan", "root_causes"], "Juurpõhjuste analüüsi töötuba"),
            (40, "1.5", "online", ["indicators"], "Seireindikaatorite valik ja algtasemed"),
            (12, "1", "phone", ["budget", "stad"], "STAD-koolituse eelarve ja hanked"),
        ]
        for days_ago, hours, session_format, topics, summary in sessions:
            held_on = max(participation.start_on, last_day - timedelta(days=days_ago))
            session = services_counselling.log_session(
                participation=participation,
                details=services_counselling.SessionDetails(
                    held_on=held_on,
                    duration_hours=Decimal(hours),
                    format=session_format,
                    topics=topics,
                    summary=summary,
                    attendee_count=None if days_ago == 75 else 3,
                ),
                attendees=[("Turvalisuse spetsialist", "koordinaator")] if days_ago == 75 else [],
                next_steps=[
                    services_counselling.PlannedStep(
                        "Saata täiendatud tegevuskava",
                        "Turvalisuse spetsialist",
                        held_on + timedelta(days=30),
                    ),
                ],
                user=provider,
            )
            if days_ago > 40 and municipality_user is not None:
                services_counselling.answer_session(
                    session=session, confirm=True, comment="", user=municipality_user
                )

    def learning(self) -> None:
        """A training held (with attendance), one to register for, and a county sharing day."""
        if Training.objects.exists():
            return
        ministry = User.objects.get(email="ministry@example.org")
        today = timezone.localdate()
        paide = Municipality.objects.get(ehak_code="0567")
        hiiumaa = Municipality.objects.get(ehak_code="0205")
        held = Training.objects.create(
            title="Ennetustöö alused omavalitsustele",
            training_type=TrainingType.PREVENTION,
            organiser=Organiser.PPA,
            starts_on=today - timedelta(days=30),
            place="Paide, Pärnu 8",
            capacity=25,
            created_by=ministry,
        )
        for municipality, name, role, attended in [
            (paide, "Turvalisuse spetsialist", "koordinaator", True),
            (paide, "Noorsootöötaja", "noortekeskuse juhataja", True),
            (
                Municipality.objects.get(ehak_code="0668"),
                "Tiit Mägi",
                "turvalisuse spetsialist",
                True,
            ),
            (hiiumaa, "Lastekaitsespetsialist", "lastekaitse", False),
        ]:
            TrainingParticipant.objects.create(
                training=held,
                municipality=municipality,
                name=name,
                kind=TrainingParticipant.Kind.OFFICIAL,
                role=role,
                attended=attended,
                recorded_by=ministry,
                recorded_at=timezone.now(),
            )
        Training.objects.create(
            title="STAD: vastutustundlik alkoholimüük",
            training_type=TrainingType.STAD,
            organiser=Organiser.TAI,
            starts_on=today + timedelta(days=21),
            is_online=True,
            capacity=40,
            created_by=ministry,
        )
        event = SharingEvent.objects.create(
            title="Järvamaa turvalisuse kogemuspäev",
            held_on=today - timedelta(days=14),
            level=SharingEvent.Level.COUNTY,
            county=paide.county,
            host="Paide linn",
            notes="Paide tutvustas noorte võrgustikutöö kogemust.",
            recorded_by=ministry,
        )
        event.presenters.set([paide])
        event.attendees.set(Municipality.objects.filter(county=paide.county).exclude(pk=paide.pk))
