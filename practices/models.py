"""The good-practice library: how municipalities, the police and others work together on
community safety, described by municipalities or ministry staff and published by the ministry.

Each practice is classified the way the guide "Kogukondliku turvalisuse juhend" (Linnalabor,
2016) groups community-safety work: by the approach to residents' participation, and by the form
of joint activity, from least to most joint.

Workflow and access (who may take each step is practices/rules.py):

- A municipality user describes practices of their own municipality: the municipality, the county
  (their municipality's) and the place it links to are fixed to theirs, whatever a form posts.
  They change it while it is a draft, submitted or returned; a published practice is changed
  only by ministry staff (the municipality writes to them), so that what everyone reads is what
  the ministry published.
- Draft or returned → submitted (by its municipality or ministry staff) → published (by ministry
  staff), or returned with a comment to its municipality, which changes it and submits it again.
  Ministry staff may take a published practice back to a draft (unpublish).
- Ministry staff and admins create, change, publish and unpublish any practice.
- Every signed-in user reads the published practices; a municipality user also its own
  municipality's unpublished ones; ministry staff and admins read all. Views fetch through
  ``Practice.objects.visible_to(user)``, so any other practice answers 404.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from programme.models import County, Municipality, PartnerAgency
from turvaportaal.lib.search import trigram_index

if TYPE_CHECKING:
    from accounts.models import User


class Approach(models.TextChoices):
    """Community-safety work grouped by how much local residents take part (the guide's three)."""

    SITUATIONAL = "situational", _("situational approach")
    RESOURCE_MOBILISATION = "resource_mobilisation", _("resource mobilisation")
    COMMUNITY_EMPOWERMENT = "community_empowerment", _("community empowerment")

    @property
    def help(self) -> Promise:
        return APPROACH_HELP[self]


# The guide's own definitions, in English; the Estonian catalogue gives them back in its words.
APPROACH_HELP: dict[Approach, Promise] = {
    Approach.SITUATIONAL: _(
        "Safety is increased by changing the physical environment (e.g. making it harder to "
        "enter buildings, installing security cameras or removing places where people gather) "
        "so that breaking the order becomes harder."
    ),
    Approach.RESOURCE_MOBILISATION: _(
        "Safety is increased by activating the community: formulating common problems and "
        "finding solutions to them, above all by supporting risk and problem groups."
    ),
    Approach.COMMUNITY_EMPOWERMENT: _(
        "Safety is increased by fostering the community's self-analysis and development; "
        "activities are planned asking “What do we do together with them?”, not “What do we "
        "do for them?”."
    ),
}


class JointForm(models.TextChoices):
    """The forms of joint activity, from the least to the most joint."""

    COMMUNICATION = "communication", _("communication")
    COOPERATION = "cooperation", _("cooperation")
    COORDINATION = "coordination", _("coordination")
    COLLABORATION = "collaboration", _("collaboration")

    @property
    def help(self) -> Promise:
        return JOINT_FORM_HELP[self]


JOINT_FORM_HELP: dict[JointForm, Promise] = {
    JointForm.COMMUNICATION: _(
        "Information exchange between the parties: from the police to residents, from "
        "residents to the police, both ways, and between agencies."
    ),
    JointForm.COOPERATION: _(
        "Organisations of the same field or with similar goals act together to reach a common "
        "goal and to avoid overlapping and repeated work, e.g. regular meetings or round tables "
        "of the same field's workers."
    ),
    JointForm.COORDINATION: _(
        "Organisations of different fields exchange information to reach their own goals "
        "better, e.g. health councils or safety committees that identify problems, plan "
        "activities and direct the participants' resources."
    ),
    JointForm.COLLABORATION: _(
        "Goals, activities and resources are planned together and the results evaluated "
        "together, e.g. a safety development plan drawn up and carried out by several parties."
    ),
}


class PracticeQuerySet(models.QuerySet["Practice"]):
    def published(self) -> "PracticeQuerySet":
        return self.filter(status=Practice.Status.PUBLISHED)

    def returned(self) -> "PracticeQuerySet":
        """Practices the ministry returned with comments to the municipality that describes them."""
        return self.filter(status=Practice.Status.RETURNED)

    def visible_to(self, user: "User") -> "PracticeQuerySet":
        """Ministry staff read every practice; everyone the published ones; a municipality also
        its own unpublished ones."""
        if user.has_programme_wide_access:
            return self
        published = models.Q(status=Practice.Status.PUBLISHED)
        if user.municipality_id is not None:
            return self.filter(published | models.Q(municipality_id=user.municipality_id))
        return self.filter(published)


class Practice(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted for publishing")
        RETURNED = "returned", _("returned with comments")
        PUBLISHED = "published", _("published")

    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(
        _("place"),
        max_length=200,
        help_text=_("Where the practice takes place, as its source names it."),
    )
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="practices", verbose_name=_("county")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="described_practices",
        verbose_name=_("described by"),
        help_text=_(
            "The municipality whose people describe the practice and keep it up to date; "
            "empty for practices the ministry keeps."
        ),
    )
    municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="practices",
        verbose_name=_("municipalities"),
        help_text=_("Today's municipalities where the practice takes place."),
    )
    approach = models.CharField(
        _("approach by residents' participation"),
        max_length=30,
        choices=Approach.choices,
        blank=True,
        help_text=_("Leave empty when the practice is not classified."),
    )
    joint_form = models.CharField(
        _("form of joint activity"), max_length=20, choices=JointForm.choices
    )
    description = models.TextField(_("description"))
    results = models.TextField(_("results"), blank=True)
    partners = models.ManyToManyField(
        PartnerAgency, blank=True, related_name="+", verbose_name=_("partner agencies")
    )
    other_partners = models.CharField(_("other partners"), max_length=300, blank=True)
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Where the description comes from, e.g. a report or a web page."),
    )
    reference_key = models.SlugField(
        _("reference key"),
        max_length=60,
        blank=True,
        help_text=_("Set for the examples loaded from practices/data/; empty for the others."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    return_comment = models.TextField(_("comments of the ministry"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        ordering = ["title", "pk"]
        # The search looks for each word in these four texts.
        indexes = [
            trigram_index(field, f"practice_{field}_trgm")
            for field in ["title", "description", "results", "place"]
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reference_key"],
                condition=~models.Q(reference_key=""),
                name="practice_reference_key_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="published_practice_has_published_at",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def approach_choice(self) -> Approach | None:
        return Approach(self.approach) if self.approach else None

    @property
    def joint_form_choice(self) -> JointForm:
        return JointForm(self.joint_form)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED
