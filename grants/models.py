"""Where a participation's grant goes: its budget lines, budget changes, and the append-only
ledger of disbursements, expenditures and reversals."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Aggregate, Case, Count, DecimalField, Min, Q, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from programme.models import BudgetCategory, Participation
from turvaportaal.lib.search import trigram_index
from turvaportaal.lib.uploads import generated_path

if TYPE_CHECKING:
    from accounts.models import User

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MONEY = DecimalField(max_digits=12, decimal_places=2)
# An expenditure waiting for the ministry longer than this is flagged.
APPROVAL_WAIT = timedelta(days=30)


# The name of the line not yet allocated: a message id, translated when read.
UNALLOCATED_MSGID = gettext_noop("Not yet allocated")


class BudgetLineQuerySet(models.QuerySet["BudgetLine"]):
    def amount_total(self) -> Decimal:
        """The lines' budgets together: the grant, as long as every change moved money between
        the lines."""
        return money(self.order_by().aggregate(total=Sum("amount"))["total"])


class BudgetLine(models.Model):
    participation = models.ForeignKey(
        Participation, on_delete=models.PROTECT, related_name="budget_lines"
    )
    category = models.CharField(_("category"), max_length=20, choices=BudgetCategory.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    # The grant's share no line has yet: named when read, in the reader's language.
    is_unallocated = models.BooleanField(_("not yet allocated"), default=False)
    amount = models.DecimalField(_("budget (EUR)"), max_digits=12, decimal_places=2)

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="grant_budget_line_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(is_unallocated=True) | ~Q(description=""),
                name="grant_budget_line_has_description",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.name}"

    @property
    def name(self) -> str:
        """What the line is for, as the reader's language says it."""
        return gettext(UNALLOCATED_MSGID) if self.is_unallocated else self.description

    # Sums are added in Python: the database may do decimal arithmetic in floating point.
    @property
    def spent(self) -> Decimal:
        total = self.approved_spent + self.pending_spent  # type: ignore[attr-defined]
        return total.quantize(CENT)

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.spent

    @property
    def percent_spent(self) -> int:
        return int(self.spent * 100 / self.amount) if self.amount else 0


class BudgetYearQuerySet(models.QuerySet["BudgetYear"]):
    def amount_by_year(self) -> dict[int, Decimal]:
        """The yearly amounts of these rows added up per calendar year."""
        rows = self.order_by().values_list("year").annotate(total=Sum("amount"))
        return {year: money(total) for year, total in rows}

    def amounts(self) -> dict[tuple[int, int], Decimal]:
        """Each (line, year)'s amount."""
        return {(row.line_id, row.year): row.amount for row in self}


class BudgetYear(models.Model):
    """A budget line's share of one calendar year: ESF+ partners work to yearly budgets. A
    line's years add up to its amount (grants.services keeps them so)."""

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("budget (EUR)"), max_digits=12, decimal_places=2)

    objects = BudgetYearQuerySet.as_manager()

    class Meta:
        ordering = ["year", "line_id"]
        verbose_name = _("yearly budget")
        verbose_name_plural = _("yearly budgets")
        constraints = [
            models.UniqueConstraint(fields=["line", "year"], name="budget_line_year_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_year_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.year}: {self.amount}"


def yearly_shares(amount: Decimal, participation: Participation) -> dict[int, Decimal]:
    """``amount`` split between the participation's calendar years by its days in each, to
    the cent; the last year takes what rounding leaves."""
    years = participation.calendar_years
    days = {year: participation.days_in(year) for year in years}
    total_days = sum(days.values()) or 1
    shares = {year: (amount * days[year] / total_days).quantize(CENT) for year in years[:-1]}
    shares[years[-1]] = amount - sum(shares.values(), ZERO)
    return shares


class BudgetChangeQuerySet(models.QuerySet["BudgetChange"]):
    def visible_to(self, user: "User") -> "BudgetChangeQuerySet":
        return self.filter(participation__in=Participation.objects.visible_to(user))

    def awaiting_decision(self) -> "BudgetChangeQuerySet":
        """Requests the ministry has not yet approved or refused."""
        return self.filter(status=BudgetChange.Status.PENDING)


class BudgetChange(models.Model):
    """A request to move money between budget lines, and the ministry's decision on it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    participation = models.ForeignKey(
        Participation, on_delete=models.PROTECT, related_name="budget_changes"
    )
    # Moved within the agreement's flexible share: recorded as approved, no one decided it.
    within_flexible_share = models.BooleanField(
        _("within the agreement's flexible share"), default=False
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    objects = BudgetChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.participation}: {self.reason[:40]}"


class BudgetChangeLineQuerySet(models.QuerySet["BudgetChangeLine"]):
    def moved_flexibly(self) -> dict[tuple[int, int], Decimal]:
        """What the moves within the flexible share have added to (or taken from) each (line,
        year), all of them together."""
        rows = (
            self.filter(change__within_flexible_share=True)
            .order_by()
            .values_list("budget_line_id", "year")
            .annotate(total=Sum("delta"))
        )
        return {(line, year): money(total) for line, year, total in rows}


class BudgetChangeLine(models.Model):
    """One line's move in one year."""

    change = models.ForeignKey(BudgetChange, on_delete=models.CASCADE, related_name="lines")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    delta = models.DecimalField(max_digits=12, decimal_places=2)

    objects = BudgetChangeLineQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.budget_line} {self.year}: {self.delta:+}"


def within_flexible_share(
    participation: Participation, moves: dict[tuple[int, int], Decimal]
) -> bool:
    """Whether moves of (line, year) → delta may be recorded without the ministry's decision:
    all in one year, and each line's flexible moves together within the agreement's share of
    its yearly amount as the ministry last set it. Moving money between years is always a
    decision."""
    if len({year for _line, year in moves}) != 1:
        return False
    amounts = BudgetYear.objects.filter(line__participation=participation).amounts()
    moved = BudgetChangeLine.objects.filter(change__participation=participation).moved_flexibly()
    share = participation.flexible_share / 100
    for key, delta in moves.items():
        already = moved.get(key, ZERO)
        agreed = amounts.get(key, ZERO) - already
        if abs(already + delta) > agreed * share:
            return False
    return True


class EntryQuerySet(models.QuerySet["LedgerEntry"]):
    """The ledger's words, each said once: which entries count, what is spent and disbursed,
    and an entry's state."""

    def visible_to(self, user: "User") -> "EntryQuerySet":
        return self.filter(participation__in=Participation.objects.visible_to(user))

    def not_reversed(self) -> "EntryQuerySet":
        # "Not among the reversed" as a subquery over the few reversals: a join on the whole
        # ledger to find them is several times slower.
        reversed_ids = LedgerEntry.objects.filter(reverses__isnull=False).values("reverses_id")
        return self.exclude(pk__in=reversed_ids).order_by()

    def counting(self) -> "EntryQuerySet":
        """Entries that count: not reversed, and expenditures not rejected."""
        return self.not_reversed().exclude(
            kind=LedgerEntry.Kind.EXPENDITURE, review__is_approved=False
        )

    def spending(self) -> "EntryQuerySet":
        """What counts as spent: expenditures approved or waiting for approval, not reversed."""
        return self.counting().filter(kind=LedgerEntry.Kind.EXPENDITURE)

    def dated(self, since_on: date | None = None, until_on: date | None = None) -> "EntryQuerySet":
        entries = self
        if since_on is not None:
            entries = entries.filter(entry_on__gte=since_on)
        if until_on is not None:
            entries = entries.filter(entry_on__lte=until_on)
        return entries

    def sums_by(self, key: str) -> dict[Any, dict[str, object]]:
        """Disbursed, approved, pending and the oldest pending entry per ``key``, in one query
        over the entries not reversed."""
        rows = (
            self.not_reversed()
            .values(key)
            .annotate(**_money_sums(), oldest_pending_at=Min("created_at", filter=_pending()))
        )
        return {row.pop(key): row for row in rows}

    def spent_by(self, key: str) -> dict[Any, Decimal]:
        """What counts as spent (approved and waiting) per ``key``."""
        return {
            value: money(row["approved_spent"]) + money(row["pending_spent"])
            for value, row in self.sums_by(key).items()
        }

    def spent_by_line_and_year(self) -> dict[tuple[int, int], Decimal]:
        """What counts as spent (approved, in part or whole, and waiting) per (budget line,
        calendar year of the expenditure's date)."""
        rows = (
            self.spending()
            .annotate(year=ExtractYear("entry_on"))
            .values_list("budget_line_id", "year")
            .annotate(total=Sum(Coalesce("review__accepted_amount", "amount")))
        )
        return {(line, year): money(total) for line, year, total in rows}

    def spent(self) -> Decimal:
        """What counts as spent of these entries, to the cent."""
        totals = self.totals()
        return totals["approved_spent"] + totals["pending_spent"]

    def running_spent(self) -> list[tuple[date, Decimal]]:
        """What counts as spent, accumulated entry by entry in date order."""
        total, running = ZERO, []
        for entry_on, amount in (
            self.spending()
            .order_by("entry_on", "pk")
            .values_list("entry_on", Coalesce("review__accepted_amount", "amount"))
        ):
            total += amount
            running.append((entry_on, total))
        return running

    def totals(self) -> dict[str, Decimal]:
        """Disbursed, approved_spent and pending_spent of all these entries, to the cent."""
        sums = self.not_reversed().aggregate(**_money_sums())
        return {name: money(value) for name, value in sums.items()}

    def awaiting_review(self) -> "EntryQuerySet":
        """Expenditures not reversed that the ministry has not yet approved or rejected."""
        return self.not_reversed().filter(_pending())

    def waiting_long(self, now: datetime) -> "EntryQuerySet":
        """Expenditures awaiting review for longer than APPROVAL_WAIT at ``now``."""
        return self.awaiting_review().filter(created_at__lt=now - APPROVAL_WAIT)

    def with_state(self) -> "EntryQuerySet":
        """Each entry's ``state``: reversed; an expenditure's approved, rejected or pending;
        empty for a disbursement or a reversal."""
        return self.annotate(
            state=Case(
                When(reversed_by__isnull=False, then=Value(EntryState.REVERSED)),
                When(~Q(kind=LedgerEntry.Kind.EXPENDITURE), then=Value(EntryState.NONE)),
                When(review__isnull=True, then=Value(EntryState.PENDING)),
                When(review__is_approved=True, then=Value(EntryState.APPROVED)),
                default=Value(EntryState.REJECTED),
                output_field=models.CharField(),
            )
        )


class EntryState(models.TextChoices):
    NONE = "", ""
    PENDING = "pending", _("waiting for approval")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    REVERSED = "reversed", _("reversed")


def document_path(instance: "LedgerEntry", filename: str) -> str:
    return generated_path(f"ledger/{instance.participation_id}", filename)


class LedgerEntry(models.Model):
    """One line of the ledger. Never edited or deleted: a mistake is undone by a reversal."""

    class Kind(models.TextChoices):
        DISBURSEMENT = "disbursement", _("disbursement")
        EXPENDITURE = "expenditure", _("expenditure")
        REVERSAL = "reversal", _("reversal")

    participation = models.ForeignKey(
        Participation, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2)
    entry_on = models.DateField(_("date"))
    budget_line = models.ForeignKey(
        BudgetLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("budget line"),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=100, blank=True)
    tranche = models.PositiveSmallIntegerField(_("tranche"), null=True, blank=True)
    document = models.FileField(_("supporting document"), upload_to=document_path, blank=True)
    document_name = models.CharField(max_length=255, blank=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-entry_on", "-pk"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [
            models.Index(fields=["participation", "kind"]),
            trigram_index("supplier", "ledger_supplier_trgm"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_amount_positive"),
            models.CheckConstraint(
                condition=~Q(kind="expenditure") | Q(budget_line__isnull=False),
                name="expenditure_has_budget_line",
            ),
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False)
                | (~Q(kind="reversal") & Q(reverses__isnull=True)),
                name="reversal_points_at_its_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.entry_on})"

    @cached_property
    def state(self) -> str:
        """EntryQuerySet.with_state's answer; an entry fetched with it has it already."""
        return LedgerEntry.objects.with_state().get(pk=self.pk).state

    def get_state_display(self) -> str:
        return str(EntryState(self.state).label)


class ExpenditureReview(models.Model):
    """The ministry's decision on whether an expenditure is eligible."""

    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="review")
    is_approved = models.BooleanField()
    # Accepted in part (a payment claim's line): the eligible part, less than the expenditure.
    # Empty when the whole expenditure is approved or it is rejected.
    accepted_amount = models.DecimalField(
        _("accepted amount (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(is_approved=True) | ~Q(reason=""), name="rejection_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(accepted_amount__isnull=True)
                | (Q(is_approved=True, accepted_amount__gt=0) & ~Q(reason="")),
                name="part_accepted_is_approved_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry}: {'approved' if self.is_approved else 'rejected'}"


class RefusedEntry(models.Model):
    """An entry the rules refused (an overspend attempt), kept for the ministry's overview."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="refused_entries"
    )
    kind = models.CharField(max_length=20, choices=LedgerEntry.Kind.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    reason = models.TextField()
    attempted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    attempted_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.participation}: {self.amount} ({self.reason[:40]})"


# An entry has one review at most: a join finds it by the entry, where a subquery of the
# reviewed entries would read every review of the programme, for one participation too.
def _pending() -> Q:
    """An expenditure the ministry has not yet reviewed."""
    return Q(kind="expenditure", review__isnull=True)


def _money_sums() -> dict[str, Aggregate]:
    """What the entries come to: disbursed, approved and pending (a rejected expenditure counts
    as neither)."""
    return {
        "disbursed": Sum("amount", filter=Q(kind="disbursement")),
        "approved_spent": Sum(
            Coalesce("review__accepted_amount", "amount"),
            filter=Q(kind="expenditure", review__is_approved=True),
        ),
        "pending_spent": Sum("amount", filter=_pending()),
    }


def money(value: object) -> Decimal:
    """A sum from the database as euros and cents: the database may add decimals in floating
    point."""
    return Decimal(str(value or 0)).quantize(CENT)


def with_ledger_totals(
    participations: Iterable[Participation], *, until_on: date | None = None
) -> list[Participation]:
    """The participations with disbursed, approved_spent, pending_spent, oldest_pending_at and
    refused_count set: three queries however long the ledger and however many participations.
    With ``until_on``, only the entries dated on or before that day count."""
    rows = list(participations)
    sums = (
        LedgerEntry.objects.filter(participation__in=[p.pk for p in rows])
        .dated(until_on=until_on)
        .sums_by("participation_id")
    )
    refused = dict(
        RefusedEntry.objects.filter(participation__in=[p.pk for p in rows])
        .order_by()
        .values_list("participation_id")
        .annotate(n=Count("pk"))
    )
    for participation in rows:
        found = sums.get(participation.pk, {})
        participation.disbursed = money(found.get("disbursed"))  # type: ignore[attr-defined]
        participation.approved_spent = money(found.get("approved_spent"))  # type: ignore[attr-defined]
        participation.pending_spent = money(found.get("pending_spent"))  # type: ignore[attr-defined]
        participation.oldest_pending_at = found.get("oldest_pending_at")  # type: ignore[attr-defined]
        participation.refused_count = refused.get(participation.pk, 0)  # type: ignore[attr-defined]
    return rows


def line_totals(
    participation: Participation, *, since_on: date | None = None, until_on: date | None = None
) -> list[BudgetLine]:
    """The participation's budget lines with approved_spent and pending_spent set, counting the
    entries dated within the given days (all of them by default)."""
    lines = list(participation.budget_lines.all())
    sums = (
        LedgerEntry.objects.filter(participation=participation)
        .dated(since_on, until_on)
        .sums_by("budget_line_id")
    )
    for line in lines:
        found = sums.get(line.pk, {})
        line.approved_spent = money(found.get("approved_spent"))  # type: ignore[attr-defined]
        line.pending_spent = money(found.get("pending_spent"))  # type: ignore[attr-defined]
    return lines


@dataclass(frozen=True)
class YearMoney:
    """A budget and what is spent of it, in one year or over all."""

    budget: Decimal
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent


@dataclass(frozen=True)
class YearOverview:
    """The budget by calendar year: each line's money in each year, each year's, the whole."""

    years: list[int]
    lines: list[tuple[BudgetLine, list[YearMoney], YearMoney]]
    by_year: list[YearMoney]
    whole: YearMoney

    @property
    def each_year(self) -> list[tuple[int, YearMoney]]:
        return list(zip(self.years, self.by_year, strict=True))


def _added(cells: list[YearMoney]) -> YearMoney:
    return YearMoney(
        sum((cell.budget for cell in cells), ZERO), sum((cell.spent for cell in cells), ZERO)
    )


def year_overview(participation: Participation, *, until_on: date | None = None) -> YearOverview:
    """Three queries: the lines, their yearly amounts and the spending by line and year (of
    the entries dated until ``until_on``, all by default)."""
    years = participation.calendar_years
    budget_lines = list(participation.budget_lines.all())
    budget = BudgetYear.objects.filter(line__participation=participation).amounts()
    spent = (
        LedgerEntry.objects.filter(participation=participation)
        .dated(until_on=until_on)
        .spent_by_line_and_year()
    )
    rows = [
        [
            YearMoney(budget.get((line.pk, year), ZERO), spent.get((line.pk, year), ZERO))
            for year in years
        ]
        for line in budget_lines
    ]
    lines = [(line, cells, _added(cells)) for line, cells in zip(budget_lines, rows, strict=True)]
    by_year = [_added([cells[i] for cells in rows]) for i in range(len(years))]
    return YearOverview(years, lines, by_year, _added(by_year))


def year_remaining(participation: Participation, year: int) -> dict[int, Decimal]:
    """Each budget line's amount for ``year`` less what is spent from it then."""
    overview = year_overview(participation)
    column = overview.years.index(year) if year in overview.years else None
    return {
        line.pk: cells[column].remaining if column is not None else ZERO
        for line, cells, _whole in overview.lines
    }


def is_late_underspending(participation: Participation, spent: Decimal, today: date) -> bool:
    """Three quarters of the period gone and less than half of the grant used."""
    total = (participation.end_on - participation.start_on).days or 1
    gone = (today - participation.start_on).days / total
    return gone >= 0.75 and spent < participation.grant_amount / 2


def is_waiting_long(oldest_pending_at: datetime | None, now: datetime) -> bool:
    """An expenditure has waited for the ministry's approval longer than APPROVAL_WAIT."""
    return oldest_pending_at is not None and now - oldest_pending_at > APPROVAL_WAIT


@dataclass(frozen=True)
class OverviewRow:
    """One participation's money on the ministry's overview, with the flags it watches."""

    participation: Participation
    disbursed: Decimal
    spent: Decimal  # approved and waiting for approval
    pending: Decimal
    refused: int
    underspending: bool
    waiting_long: bool

    @property
    def approved(self) -> Decimal:
        return self.spent - self.pending

    @property
    def remaining(self) -> Decimal:
        return self.participation.grant_amount - self.spent


def ledger_overview(
    participations: Iterable[Participation],
    *,
    until_on: date | None = None,
    now: datetime | None = None,
) -> list[OverviewRow]:
    """Each participation's disbursed, spent and waiting money (from entries dated until
    ``until_on``, all by default) and the flags at ``now``: refused overspend attempts, late
    under-spending, an expenditure waiting for approval too long. Three queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    rows = []
    participation: Any
    for participation in with_ledger_totals(participations, until_on=until_on):
        spent = (participation.approved_spent + participation.pending_spent).quantize(CENT)
        rows.append(
            OverviewRow(
                participation=participation,
                disbursed=participation.disbursed.quantize(CENT),
                spent=spent,
                pending=participation.pending_spent.quantize(CENT),
                refused=participation.refused_count,
                underspending=is_late_underspending(participation, spent, today),
                waiting_long=is_waiting_long(participation.oldest_pending_at, now),
            )
        )
    return rows


def ledger_total(
    participations: models.QuerySet[Participation], *, until_on: date | None = None
) -> dict[str, Decimal]:
    """The sum of ledger_overview's rows over all the participations (grant, disbursed, spent,
    approved, pending and remaining; entries dated until ``until_on``, all by default), to the
    cent the same, from two queries: no row is read."""
    sums = (
        LedgerEntry.objects.filter(participation__in=participations)
        .dated(until_on=until_on)
        .totals()
    )
    grant = money(participations.order_by().aggregate(grant=Sum("grant_amount"))["grant"])
    pending = sums["pending_spent"]
    spent = sums["approved_spent"] + pending
    return {
        "grant": grant,
        "disbursed": sums["disbursed"],
        "spent": spent,
        "approved": sums["approved_spent"],
        "pending": pending,
        "remaining": grant - spent,
    }


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("waiting for the ministry")
    DECIDED = "decided", _("decided")


class LineDecision(models.TextChoices):
    UNDECIDED = "undecided", _("not yet decided")
    ACCEPTED = "accepted", _("accepted")
    PART = "part", _("accepted in part")
    REFUSED = "refused", _("refused")
    REVERSED = "reversed", _("reversed")


class PaymentClaimQuerySet(models.QuerySet["PaymentClaim"]):
    def visible_to(self, user: "User") -> "PaymentClaimQuerySet":
        return self.filter(participation__in=Participation.objects.visible_to(user))

    def awaiting_decision(self) -> "PaymentClaimQuerySet":
        return self.filter(status=ClaimStatus.SUBMITTED)


class PaymentClaim(models.Model):
    """A municipality's claim for payment (maksetaotlus): the expenditures of a period, each with
    its supporting document, and a forecast of the next quarter's claims. The ministry decides
    it line by line; an accepted total is paid as one disbursement."""

    participation = models.ForeignKey(
        Participation, on_delete=models.PROTECT, related_name="payment_claims"
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    forecast_amount = models.DecimalField(
        _("forecast of the next quarter's claims (EUR)"),
        max_digits=12,
        decimal_places=2,
        default=ZERO,
    )
    forecast_note = models.CharField(_("forecast note"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision summary"), blank=True)
    # The payment of the accepted total: one disbursement pays one claim, and a claim has one.
    disbursement = models.OneToOneField(
        LedgerEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="paid_claim",
        verbose_name=_("disbursement"),
    )

    objects = PaymentClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "-pk"]
        verbose_name = _("payment claim")
        verbose_name_plural = _("payment claims")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")),
                name="claim_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(forecast_amount__gte=0), name="claim_forecast_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(status="draft", submitted_at__isnull=True)
                | (~Q(status="draft") & Q(submitted_at__isnull=False)),
                name="claim_submitted_when_not_draft",
            ),
            models.CheckConstraint(
                condition=Q(status="decided", decided_at__isnull=False)
                | (~Q(status="decided") & Q(decided_at__isnull=True, disbursement__isnull=True)),
                name="claim_decided_once_and_paid_only_when_decided",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participation}: {self.period_start}–{self.period_end}"

    def candidates(self) -> "EntryQuerySet":
        """The expenditures of the claim's period that no claim holds yet: not reversed, not
        rejected (with a document or without: the rules say which may be added)."""
        return (
            self.participation.ledger_entries.counting()
            .filter(kind=LedgerEntry.Kind.EXPENDITURE, claim_line__isnull=True)
            .dated(self.period_start, self.period_end)
        )


def _line_reversed() -> Q:
    return Q(entry__in=LedgerEntry.objects.filter(reverses__isnull=False).values("reverses_id"))


def _line_decision() -> Case:
    return Case(
        When(_line_reversed(), then=Value(LineDecision.REVERSED)),
        When(entry__review__isnull=True, then=Value(LineDecision.UNDECIDED)),
        When(entry__review__is_approved=False, then=Value(LineDecision.REFUSED)),
        When(entry__review__accepted_amount__isnull=False, then=Value(LineDecision.PART)),
        default=Value(LineDecision.ACCEPTED),
        output_field=models.CharField(),
    )


def _line_accepted() -> Case:
    """What a line is accepted for: the whole, the part, or nothing (refused, reversed or not
    yet decided)."""
    return Case(
        When(_line_reversed(), then=Value(ZERO)),
        When(
            entry__review__is_approved=True,
            then=Coalesce("entry__review__accepted_amount", "entry__amount"),
        ),
        default=Value(ZERO),
        output_field=MONEY,
    )


class ClaimLineQuerySet(models.QuerySet["ClaimLine"]):
    """A claim's lines and what they come to: each sum said once."""

    def with_decision(self) -> "ClaimLineQuerySet":
        """Each line's ``decision`` (LineDecision) and ``accepted`` amount (zero unless
        accepted, the part when accepted in part)."""
        return self.annotate(decision=_line_decision(), accepted=_line_accepted())

    def undecided(self) -> "ClaimLineQuerySet":
        return self.exclude(_line_reversed()).filter(entry__review__isnull=True)

    def totals(self) -> dict[str, Decimal]:
        """``claimed`` (the expenditures' amounts) and ``accepted``, to the cent."""
        sums = self.order_by().aggregate(
            claimed=Sum("entry__amount"), accepted=Sum(_line_accepted())
        )
        return {name: money(value) for name, value in sums.items()}

    def totals_by_claim(self) -> dict[int, dict[str, Decimal]]:
        """``claimed`` and ``accepted`` per claim id, in one query however many claims."""
        rows = (
            self.order_by()
            .values("claim_id")
            .annotate(claimed=Sum("entry__amount"), accepted_sum=Sum(_line_accepted()))
        )
        return {
            row["claim_id"]: {
                "claimed": money(row["claimed"]),
                "accepted": money(row["accepted_sum"]),
            }
            for row in rows
        }

    def totals_by_budget_line(self) -> dict[int, dict[str, Decimal]]:
        """``claimed`` and ``accepted`` per budget line id."""
        rows = (
            self.order_by()
            .values("entry__budget_line_id")
            .annotate(claimed=Sum("entry__amount"), accepted_sum=Sum(_line_accepted()))
        )
        return {
            row["entry__budget_line_id"]: {
                "claimed": money(row["claimed"]),
                "accepted": money(row["accepted_sum"]),
            }
            for row in rows
        }


class ClaimLine(models.Model):
    """An expenditure in a claim. An expenditure is in one claim at most (the database says so);
    the line's decision is the expenditure's own review (ExpenditureReview)."""

    claim = models.ForeignKey(PaymentClaim, on_delete=models.CASCADE, related_name="lines")
    entry = models.OneToOneField(
        LedgerEntry,
        on_delete=models.PROTECT,
        related_name="claim_line",
        verbose_name=_("expenditure"),
    )
    added_at = models.DateTimeField(default=timezone.now)

    objects = ClaimLineQuerySet.as_manager()

    class Meta:
        ordering = ["entry__entry_on", "pk"]
        verbose_name = _("claim line")
        verbose_name_plural = _("claim lines")

    def __str__(self) -> str:
        return f"{self.claim}: {self.entry}"

    def get_decision_label(self) -> str:
        """ClaimLineQuerySet.with_decision's answer, as the reader's language says it."""
        return str(LineDecision(self.decision).label)  # type: ignore[attr-defined]
