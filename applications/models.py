"""What a municipality submits to a call: the application form, budget, activity plan and the
council's decision to apply, the record of every change of status; and how it is evaluated:
criteria, evaluators, scores, consensus, and the selection decision."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from audit.services import record_change
from programme.models import BudgetCategory, Call, CallStartYear, Municipality, PartnerAgency
from programme.selection import explain_facts
from turvaportaal.lib.signatures import CONTAINER_EXTENSIONS, Signer, signers_of

if TYPE_CHECKING:
    from accounts.models import User


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    UNDER_EVALUATION = "under_evaluation", _("under evaluation")
    SELECTED = "selected", _("selected")
    NOT_SELECTED = "not_selected", _("not selected")


class ApplicationQuerySet(models.QuerySet["Application"]):
    def visible_to(self, user: "User") -> "ApplicationQuerySet":
        """Ministry staff see every application; a municipality only its own; a county evaluator
        those of its county assigned to it."""
        if user.has_programme_wide_access:
            return self
        if user.municipality_id is not None:
            return self.filter(municipality_id=user.municipality_id)
        if user.county_id is not None:
            return self.filter(
                municipality__county_id=user.county_id, assignments__evaluator=user
            ).distinct()
        return self.none()

    def submitted(self) -> "ApplicationQuerySet":
        """Applications handed in: everything but drafts."""
        return self.exclude(status=Status.DRAFT)

    def with_budget_total(self) -> "ApplicationQuerySet":
        return self.annotate(budget_total=Sum("budget_lines__amount", default=Decimal("0.00")))

    def awaiting_evaluator(self) -> "ApplicationQuerySet":
        """Applications under evaluation that no evaluator is assigned to yet."""
        return self.filter(status=Status.UNDER_EVALUATION).exclude(
            models.Exists(Assignment.objects.filter(application=models.OuterRef("pk")))
        )

    def needing_consensus(self) -> "ApplicationQuerySet":
        """Applications under evaluation with a criterion on which the submitted scores differ
        by more than the call's consensus margin and no outcome of a discussion is recorded
        (applications.scoring.disagreements, in the database)."""
        settled = ConsensusRecord.objects.filter(
            application=models.OuterRef("assignment__application"),
            criterion=models.OuterRef("criterion"),
        )
        disputed = (
            Score.objects.filter(
                assignment__in=Assignment.objects.scored(),
                assignment__application=models.OuterRef("pk"),
            )
            .exclude(models.Exists(settled))
            .order_by()
            # The call's margin is one value for all of an application's scores: grouped by, it
            # splits no group, and the HAVING compares with the subquery's own column (SQLite
            # cannot reach the outer query's joins from there).
            .values("criterion", margin=models.F("assignment__application__call__consensus_margin"))
            .annotate(
                scores=Count("pk"),
                spread=models.Max("value") - models.Min("value"),
            )
            .filter(scores__gt=1, spread__gt=models.F("margin"))
        )
        return self.filter(status=Status.UNDER_EVALUATION).filter(models.Exists(disputed))

    def results_visible_to(self, user: "User") -> "ApplicationQuerySet":
        """Applications whose call's results this person may see (applications.see_results):
        ministry staff, except in a call where their own evaluation still runs undone or with
        a conflict of interest declared."""
        if not user.has_programme_wide_access:
            return self.none()
        running = Assignment.objects.filter(
            evaluator=user, application__status=Status.UNDER_EVALUATION
        )
        hiding = running.to_do() | running.filter(has_conflict=True)
        return self.exclude(call__in=hiding.values("application__call"))

    def ready_for_selection(self, at: datetime | None = None) -> "ApplicationQuerySet":
        """Applications under evaluation in calls past their deadline whose every application
        under evaluation has its evaluations done and at least one evaluator's scores: the
        selection waits to be confirmed."""
        at = at or timezone.now()
        under_evaluation = Application.objects.filter(status=Status.UNDER_EVALUATION)
        unscored = under_evaluation.exclude(
            models.Exists(Assignment.objects.scored().filter(application=models.OuterRef("pk")))
        )
        undone = under_evaluation.filter(
            models.Exists(Assignment.objects.to_do().filter(application=models.OuterRef("pk")))
        )
        return self.filter(status=Status.UNDER_EVALUATION, call__deadline_at__lte=at).exclude(
            call__in=(unscored | undone).values("call")
        )

    def drafts_closing(self, at: datetime, within: timedelta) -> "ApplicationQuerySet":
        """Drafts whose call's deadline is after ``at`` and at most ``within`` later."""
        return self.filter(
            status=Status.DRAFT, call__deadline_at__gt=at, call__deadline_at__lte=at + within
        )

    def drafts_missing_sections(self, at: datetime | None = None) -> "ApplicationQuerySet":
        """Drafts in calls open at ``at`` (now by default) that cannot be submitted yet, each
        with ``missing_sections``: how many of its four sections still lack something, as
        Application.missing_parts judges them."""
        at = at or timezone.now()
        empty = models.Q()
        for name in CONTACT_FIELDS + ESSAY_FIELDS:
            empty |= models.Q(**{f"{name}__regex": r"^\s*$"})

        def has(model: type[models.Model], **where: object) -> models.Exists:
            rows = model._default_manager.filter(application=models.OuterRef("pk"), **where)
            return models.Exists(rows)

        form = (
            empty
            | ~models.Exists(
                CallStartYear.objects.filter(
                    call=models.OuterRef("call"), year=models.OuterRef("preferred_start_year")
                )
            )
            | ~has(TeamMember, kind=TeamMember.Kind.OFFICIAL)
            | ~has(TeamMember, kind=TeamMember.Kind.COUNCIL_MEMBER)
        )
        budget_total = (
            BudgetLine.objects.filter(application=models.OuterRef("pk"))
            .order_by()
            .values("application")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        budget = ~has(BudgetLine) | models.Q(lines_total__gt=models.F("call__grant_amount"))

        def missing(condition: Any) -> models.Case:
            return models.Case(
                models.When(condition, then=1), default=0, output_field=models.IntegerField()
            )

        return (
            self.filter(status=Status.DRAFT, call__opens_at__lte=at, call__deadline_at__gt=at)
            .annotate(lines_total=models.Subquery(budget_total))
            .annotate(
                missing_sections=missing(form)
                + missing(budget)
                + missing(~has(Activity))
                + missing(~has(CouncilDecision))
            )
            .filter(missing_sections__gt=0)
        )

    def count_by_status(self) -> list[tuple[str, int]]:
        """(status label, number of applications) for every status, in lifecycle order.

        Counted over the applications' own rows: the joins of this queryset's filters and
        annotations (budget lines, evaluators) would repeat an application once per joined row.
        """
        rows = Application.objects.filter(pk__in=self.values("pk"))
        counts = dict(rows.order_by().values_list("status").annotate(n=Count("pk")))
        return [(str(status.label), counts.get(status.value, 0)) for status in Status]


# The six things the ministry looks for in an applicant (the call's conditions); each is answered
# in the application and, later, scored.
QUALITIES = [
    ("initiative", _("Initiative to run the programme")),
    ("safety_contribution", _("Will to contribute to the safety field")),
    ("leadership_support", _("Support of the municipality's leadership")),
    ("daily_work_readiness", _("Readiness to support the programme in daily work")),
    ("strategic_use", _("Will and capacity to use the results in strategic documents")),
    ("part_of_daily_work", _("Making the activities part of officials' daily work")),
]
CONTACT_FIELDS = ["contact_name", "contact_position", "contact_email", "contact_phone"]
ESSAY_FIELDS = ["motivation", *[name for name, _label in QUALITIES], "safety_networks"]


class Application(models.Model):
    """One municipality's application to one call."""

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("municipality"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )

    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_position = models.CharField(_("position"), max_length=150, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    motivation = models.TextField(_("motivation"), blank=True)
    initiative = models.TextField(QUALITIES[0][1], blank=True)
    safety_contribution = models.TextField(QUALITIES[1][1], blank=True)
    leadership_support = models.TextField(QUALITIES[2][1], blank=True)
    daily_work_readiness = models.TextField(QUALITIES[3][1], blank=True)
    strategic_use = models.TextField(QUALITIES[4][1], blank=True)
    part_of_daily_work = models.TextField(QUALITIES[5][1], blank=True)
    safety_networks = models.TextField(
        _("existing safety networks, committees and councils"), blank=True
    )
    preferred_start_year = models.PositiveSmallIntegerField(
        _("preferred start year"), null=True, blank=True
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "municipality"],
                name="one_application_per_municipality_per_call",
                violation_error_message=_(
                    "This municipality already has an application in this call."
                ),
            )
        ]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self) -> str:
        return f"{self.municipality} – {self.call}"

    @cached_property
    def budget_total(self) -> Decimal:
        return sum((line.amount for line in self.budget_lines.all()), Decimal("0.00"))

    @property
    def current_decision(self) -> "CouncilDecision | None":
        return self.council_decisions.order_by("-uploaded_at", "-pk").first()

    @cached_property
    def open_information_request(self) -> Any:
        """The ministry's request for more information waiting for the municipality's answer,
        if one is open (inquiries.InformationRequest, which points here: the evaluation waits
        for it, and only the parts it names may change meanwhile). Read from the requests the
        page fetched with the application, if it did."""
        if "information_requests" in getattr(self, "_prefetched_objects_cache", {}):
            prefetched = self.information_requests.all()  # type: ignore[attr-defined]
            return next((found for found in prefetched if found.is_open), None)
        # The model is named through the relation: the inquiries app builds on this one.
        requests: Any = self._meta.get_field("information_requests").related_model
        return (
            requests.objects.open().filter(application=self).select_related("municipality").first()
        )

    def move_to(self, status: Status, user: "User | None") -> None:
        """Change the status and record who did it; the caller saves the application."""
        StatusChange.objects.create(
            application=self, from_status=self.status, to_status=status, changed_by=user
        )
        record_change(
            user,
            self,
            gettext_noop("application status changed"),
            before={"status": self.status},
            after={"status": status},
        )
        self.status = status

    @property
    def receipt_number(self) -> str:
        """What the municipality quotes about its submission: the application and the moment
        it came in, in Estonian time."""
        submitted = timezone.localtime(self.submitted_at) if self.submitted_at else None
        return f"{self.pk}-{submitted:%Y%m%d%H%M%S}" if submitted else ""

    def task_list(self) -> list["Task"]:
        """The sections in order, each with its state, and the last step, checking the answers
        and submitting, which waits until every section is complete."""
        missing = self.missing_parts()
        started = {
            Section.FORM: self.preferred_start_year is not None
            or any(getattr(self, name).strip() for name in ESSAY_FIELDS)
            or self.team_members.exists(),
            Section.BUDGET: self.budget_lines.exists(),
            Section.ACTIVITIES: self.activities.exists(),
            Section.DECISION: self.council_decisions.exists(),
        }
        tasks = []
        for section in Section:
            problems = [part.message for part in missing if part.section == section]
            if not started[section]:
                tasks.append(Task(section, TaskState.NOT_STARTED, []))
            elif problems:
                tasks.append(Task(section, TaskState.IN_PROGRESS, problems))
            else:
                tasks.append(Task(section, TaskState.COMPLETED, []))
        unfinished = sum(task.state != TaskState.COMPLETED for task in tasks)
        tasks.append(
            Task(
                None,
                TaskState.CANNOT_START if unfinished else TaskState.NOT_STARTED,
                [
                    ngettext(
                        "Complete the section above first.",
                        "Complete the %(count)s sections above first.",
                        unfinished,
                    )
                    % {"count": unfinished}
                ]
                if unfinished
                else [],
            )
        )
        return tasks

    def missing_parts(self) -> list["MissingPart"]:
        """What still has to be filled in before the application can be submitted."""
        missing = []
        for name in CONTACT_FIELDS + ESSAY_FIELDS:
            if not getattr(self, name).strip():
                label = Application._meta.get_field(name).verbose_name  # type: ignore[union-attr]
                missing.append(
                    MissingPart(Section.FORM, gettext("%(field)s is empty.") % {"field": label})
                )
        if self.preferred_start_year not in self.call.start_year_choices:
            missing.append(MissingPart(Section.FORM, gettext("Choose the preferred start year.")))
        kinds = {member.kind for member in self.team_members.all()}
        if TeamMember.Kind.OFFICIAL not in kinds:
            missing.append(
                MissingPart(Section.FORM, gettext("Add at least one official to the team."))
            )
        if TeamMember.Kind.COUNCIL_MEMBER not in kinds:
            missing.append(
                MissingPart(Section.FORM, gettext("Add at least one council member to the team."))
            )
        if not self.budget_lines.exists():
            missing.append(MissingPart(Section.BUDGET, gettext("Add at least one budget line.")))
        elif self.budget_total > self.call.grant_amount:
            missing.append(MissingPart(Section.BUDGET, gettext("The budget exceeds the grant.")))
        if not self.activities.exists():
            missing.append(MissingPart(Section.ACTIVITIES, gettext("Add at least one activity.")))
        if self.current_decision is None:
            missing.append(
                MissingPart(Section.DECISION, gettext("Upload the council's decision to apply."))
            )
        return missing


class Section(models.TextChoices):
    """The parts of the application, each saved on its own page."""

    FORM = "form", _("Application form")
    BUDGET = "budget", _("Budget")
    ACTIVITIES = "activities", _("Activity plan and schedule")
    DECISION = "decision", _("Council decision")


@dataclass(frozen=True)
class MissingPart:
    section: Section
    message: str


class TaskState(models.TextChoices):
    """A step of the application as its task list shows it (the GOV.UK task list's states)."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANNOT_START = "cannot_start", _("Cannot start yet")


@dataclass(frozen=True)
class Task:
    """One line of the task list: a section (None: checking the answers and submitting), its
    state, and what still keeps it from being complete or from starting."""

    section: Section | None
    state: TaskState
    reasons: list[str]


def next_section(section: Section) -> Section | None:
    """The section that "save and continue" leads to; None after the last one."""
    sections = list(Section)
    index = sections.index(section)
    return sections[index + 1] if index + 1 < len(sections) else None


class TeamMember(models.Model):
    class Kind(models.TextChoices):
        OFFICIAL = "official", _("official")
        COUNCIL_MEMBER = "council_member", _("council member")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="team_members"
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("official or council member"), max_length=20, choices=Kind.choices)
    role = models.CharField(_("role in the programme"), max_length=150)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    category = models.CharField(_("category"), max_length=20, choices=BudgetCategory.choices)
    description = models.CharField(_("description"), max_length=300)
    amount = models.DecimalField(
        _("amount (EUR)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="budget_line_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.amount}"


class Activity(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="activities"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    responsible = models.CharField(_("responsible party"), max_length=200)
    partners = models.ManyToManyField(
        PartnerAgency, blank=True, related_name="+", verbose_name=_("partner agencies")
    )
    start_month = models.PositiveSmallIntegerField(
        _("start month"), validators=[MinValueValidator(1)]
    )
    end_month = models.PositiveSmallIntegerField(_("end month"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["start_month", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_month__gte=1, end_month__gte=models.F("start_month")),
                name="activity_months_in_order",
                violation_error_message=_("The end month cannot be before the start month."),
            )
        ]

    def __str__(self) -> str:
        return self.title


DECISION_SUFFIXES = (".pdf", *CONTAINER_EXTENSIONS)


def decision_path(instance: "CouncilDecision", filename: str) -> str:
    """A PDF, or a digitally signed container (.asice, .bdoc): the suffix the portal gave it."""
    suffix = PurePath(filename).suffix if PurePath(filename).suffix in DECISION_SUFFIXES else ".pdf"
    return f"council-decisions/{instance.application.pk}/{instance.sha256[:16]}{suffix}"


class CouncilDecision(models.Model):
    """One uploaded version of the council's decision to apply; the latest is current."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="council_decisions"
    )
    file = models.FileField(upload_to=decision_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    # A signed container's signers as turvaportaal.lib.signatures found them; none for a PDF.
    signers = models.JSONField(_("signers"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("council decision")
        verbose_name_plural = _("council decisions")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def signer_list(self) -> list[Signer]:
        return signers_of(self.signers)


class StatusChange(models.Model):
    """One step in an application's life: who moved it from which status to which, and when."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"

    @property
    def description(self) -> str:
        if not self.from_status:
            return gettext("Application started")
        if self.from_status == Status.SUBMITTED and self.to_status == Status.DRAFT:
            return gettext("Withdrawn for changes")
        return {
            Status.SUBMITTED: gettext("Submitted"),
            Status.UNDER_EVALUATION: gettext("Evaluation started"),
            Status.SELECTED: gettext("Selected"),
            Status.NOT_SELECTED: gettext("Not selected"),
        }.get(Status(self.to_status), str(Status(self.to_status).label))


class Criterion(models.Model):
    """What evaluators score in a call's applications, with its weight and scale."""

    class Subject(models.TextChoices):
        """The part of the application a criterion judges: its evaluators read the answer beside
        the criterion."""

        MOTIVATION = "motivation", _("Motivation")
        INITIATIVE = QUALITIES[0][0], QUALITIES[0][1]
        SAFETY_CONTRIBUTION = QUALITIES[1][0], QUALITIES[1][1]
        LEADERSHIP_SUPPORT = QUALITIES[2][0], QUALITIES[2][1]
        DAILY_WORK_READINESS = QUALITIES[3][0], QUALITIES[3][1]
        STRATEGIC_USE = QUALITIES[4][0], QUALITIES[4][1]
        PART_OF_DAILY_WORK = QUALITIES[5][0], QUALITIES[5][1]
        SAFETY_NETWORKS = "safety_networks", _("Existing safety networks, committees and councils")
        TEAM = "team", _("Team")
        BUDGET = "budget", _("Budget")
        ACTIVITIES = "activities", _("Activity plan and schedule")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name_et = models.CharField(_("name in Estonian"), max_length=200)
    name_en = models.CharField(
        _("name in English"),
        max_length=200,
        blank=True,
        help_text=_("English readers see the Estonian name while this is empty."),
    )
    description_et = models.TextField(_("description in Estonian"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    subject = models.CharField(
        _("part of the application it judges"),
        max_length=30,
        choices=Subject.choices,
        blank=True,
        help_text=_("The evaluator reads the applicant's answer to it beside the criterion."),
    )
    # One description a score, from 0 up; fewer than the scores leave the highest undescribed.
    levels_et = models.JSONField(_("score levels in Estonian"), default=list, blank=True)
    levels_en = models.JSONField(_("score levels in English"), default=list, blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    scale_max = models.PositiveSmallIntegerField(
        _("highest score"), default=5, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gt=0), name="criterion_weight_positive"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        scores = self.scale_max + 1 if self.scale_max else 0
        errors = {
            field: gettext(
                "The scores run from 0 to %(max)s: give at most %(count)s level descriptions."
            )
            % {"max": self.scale_max, "count": scores}
            for field in ("levels_et", "levels_en")
            if self.scale_max and len(getattr(self, field) or []) > scores
        }
        if errors:
            raise ValidationError(errors)

    @property
    def name(self) -> str:
        """The name in the reader's language; the Estonian one where no English is given."""
        return self.name_en if get_language() == "en" and self.name_en else self.name_et

    @property
    def description(self) -> str:
        return (
            self.description_en
            if get_language() == "en" and self.description_en
            else self.description_et
        )

    @property
    def levels(self) -> list[tuple[int, str]]:
        """Every score from 0 up with its description in the reader's language (the Estonian
        ones where no English is given; empty where none is written)."""
        written = self.levels_en if get_language() == "en" and any(self.levels_en) else None
        texts = written or self.levels_et or []
        return [
            (score, texts[score] if score < len(texts) else "")
            for score in range(self.scale_max + 1)
        ]

    @property
    def midpoint(self) -> Decimal:
        return Decimal(self.scale_max) / 2


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def assigned_to(self, user: "User") -> "AssignmentQuerySet":
        """The person's own assignments: no one else sees an evaluator's task."""
        return self.filter(evaluator=user)

    def awaiting_scores(self) -> "AssignmentQuerySet":
        """Assignments still to do while their application is under evaluation (scoring is
        open)."""
        return self.to_do().filter(application__status=Status.UNDER_EVALUATION)

    def scored(self) -> "AssignmentQuerySet":
        """Assignments whose evaluator declared no conflict and submitted the scores."""
        return self.filter(has_conflict=False, submitted_at__isnull=False)

    def to_do(self) -> "AssignmentQuerySet":
        """Assignments their evaluator has still to do: no declaration yet, or no conflict and no
        scores submitted."""
        return self.filter(
            models.Q(has_conflict__isnull=True)
            | models.Q(has_conflict=False, submitted_at__isnull=True)
        )


class Assignment(models.Model):
    """An evaluator's task to score one application; conflict first, then the scores."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("evaluator"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    has_conflict = models.BooleanField(_("conflict of interest"), null=True, blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("scores submitted"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluator assignment")
        verbose_name_plural = _("evaluator assignments")
        ordering = ["application__municipality__name", "evaluator__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "evaluator"],
                name="one_assignment_per_evaluator",
                violation_error_message=_("This evaluator is already assigned to the application."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} – {self.application}"


class ScoreQuerySet(models.QuerySet["Score"]):
    def visible_to(self, user: "User") -> "ScoreQuerySet":
        """Evaluators see their own scores, and others' only once they have submitted theirs
        without a conflict; ministry staff not evaluating an application see all of its scores."""
        mine = Assignment.objects.filter(evaluator=user)
        done = mine.scored().values("application")
        visible = models.Q(assignment__evaluator=user) | models.Q(assignment__application__in=done)
        if user.has_programme_wide_access:
            visible |= ~models.Q(assignment__application__in=mine.values("application"))
        return self.filter(visible)


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="one_score_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class ConsensusRecord(models.Model):
    """The outcome of discussing a criterion on which the evaluators differed too much."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="consensus_records"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    outcome = models.TextField(_("outcome of the discussion"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("consensus record")
        verbose_name_plural = _("consensus records")
        ordering = ["recorded_at"]

    def __str__(self) -> str:
        return f"{self.application}: {self.criterion}"


# How long an applicant has to challenge a selection decision (SelectionDecision.challenge_by).
CHALLENGE_PERIOD = timedelta(days=30)


class SelectionDecision(models.Model):
    """The ministry's confirmed decision on one application, with the reason for any change."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision"
    )
    participation = models.OneToOneField(
        "programme.Participation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application_decision",
    )
    result = models.DecimalField(_("result"), max_digits=8, decimal_places=6, null=True)
    proposed_start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    # Why, kept as facts and worded when read (programme.selection.explain_facts): the code of
    # the selection rule's reason and what its explanation names.
    reason_code = models.CharField(_("reason"), max_length=30, blank=True)
    reason_facts = models.JSONField(_("facts of the reason"), default=dict, blank=True)
    # The explanation as worded when decided, for a decision whose reason was not kept as facts.
    worded_explanation = models.TextField(_("explanation as worded"), blank=True)
    change_reason = models.TextField(_("reason for the change"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("selection decision")
        verbose_name_plural = _("selection decisions")

    def __str__(self) -> str:
        return str(self.application)

    @property
    def challenge_by(self) -> date:
        """The last day to challenge the decision: a challenge (vaie) is filed with the ministry
        within 30 days (Haldusmenetluse seadus § 75), as is an appeal to the administrative
        court (Halduskohtumenetluse seadustik § 46)."""
        return timezone.localdate(self.decided_at) + CHALLENGE_PERIOD

    @property
    def is_change(self) -> bool:
        return self.start_year != self.proposed_start_year

    @property
    def explanation(self) -> str:
        """Why the application was or was not selected, in the reader's language."""
        if self.change_reason:
            return gettext("Decided by the ministry: %(reason)s") % {"reason": self.change_reason}
        if self.reason_code:
            return explain_facts(self.reason_code, self.reason_facts)
        return self.worded_explanation
