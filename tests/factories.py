from datetime import timedelta
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Role, User
from applications.models import (
    ESSAY_FIELDS,
    Activity,
    Application,
    BudgetLine,
    CouncilDecision,
    TeamMember,
)
from grants.models import BudgetLine as GrantLine
from programme.models import Call, CallStartYear, Municipality, Participation, ServiceProvider
from turvaportaal.lib.uploads import sha256_of

PASSWORD = "correct-horse-battery"


class ServiceProviderFactory(DjangoModelFactory[ServiceProvider]):
    class Meta:
        model = ServiceProvider

    name = factory.Sequence(lambda n: f"Nõustamisfirma {n} OÜ")
    email = factory.Sequence(lambda n: f"info{n}@provider.example")


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="et_EE")
    position = "Spetsialist"
    role = Role.MINISTRY
    password = factory.django.Password(PASSWORD)

    class Params:
        municipality_code = None

    @factory.lazy_attribute
    def municipality(self) -> Municipality | None:
        if self.role != Role.MUNICIPALITY:
            return None
        return Municipality.objects.get(ehak_code=self.municipality_code or "0668")

    @factory.lazy_attribute
    def service_provider(self) -> ServiceProvider | None:
        return ServiceProviderFactory() if self.role == Role.PROVIDER else None


def pdf_bytes(pages: int = 1) -> bytes:
    """A real, minimal PDF document."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


class CallFactory(DjangoModelFactory[Call]):
    """An open call: it opened a week ago and closes in thirty days, 10:00 Estonian time."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    stage = Call.Stage.SECOND
    title = factory.Sequence(lambda n: f"Taotlusvoor {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    deadline_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))

    @factory.post_generation
    def years(self, create: bool, extracted: dict[int, int] | None, **kwargs: object) -> None:
        for year, places in (extracted or {2027: 4, 2028: 4}).items():
            CallStartYear.objects.create(call=self, year=year, places=places)


class ApplicationFactory(DjangoModelFactory[Application]):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    municipality = factory.LazyFunction(lambda: Municipality.objects.get(ehak_code="0668"))


def complete_application(application: Application) -> Application:
    """Fill every part of a draft so that it can be submitted."""
    for name in ["contact_name", "contact_position", *ESSAY_FIELDS]:
        setattr(application, name, f"{name} text")
    application.contact_email = "kontakt@rapla.example"
    application.contact_phone = "+372 5555 1234"
    application.preferred_start_year = application.call.start_year_choices[0]
    application.save()
    TeamMember.objects.create(
        application=application, name="Ametnik", kind=TeamMember.Kind.OFFICIAL, role="juht"
    )
    TeamMember.objects.create(
        application=application, name="Volikogu", kind=TeamMember.Kind.COUNCIL_MEMBER, role="liige"
    )
    BudgetLine.objects.create(
        application=application, category="staff", description="Koordinaator", amount="20000.00"
    )
    Activity.objects.create(
        application=application,
        title="Analüüs",
        responsible="Koordinaator",
        start_month=1,
        end_month=3,
    )
    # Straight to the table: the factory also serves applications of calls already closed.
    upload = SimpleUploadedFile("otsus.pdf", pdf_bytes(), "application/pdf")
    decision = CouncilDecision(
        application=application,
        original_name="otsus.pdf",
        size=upload.size,
        sha256=sha256_of(upload),
    )
    decision.file.save("decision.pdf", upload, save=False)
    decision.save()
    return application


def under_evaluation(
    call: Call, municipality: Municipality, *, preferred_year: int | None = None
) -> Application:
    """A submitted application already moved to evaluation."""
    application = complete_application(ApplicationFactory(call=call, municipality=municipality))
    Application.objects.filter(pk=application.pk).update(
        status="under_evaluation",
        submitted_at=timezone.now(),
        preferred_start_year=preferred_year or call.start_year_choices[0],
    )
    application.refresh_from_db()
    return application


def scored(application: Application, evaluator: User, value: int) -> None:
    """The evaluator scores every criterion of the call with the same value."""
    from applications.evaluation import ensure_default_criteria
    from applications.models import Assignment, Score

    ensure_default_criteria(application.call)
    assignment = Assignment.objects.create(
        application=application,
        evaluator=evaluator,
        has_conflict=False,
        submitted_at=timezone.now(),
    )
    Score.objects.bulk_create(
        Score(assignment=assignment, criterion=criterion, value=value, comment="")
        for criterion in application.call.criteria.all()
    )


def decided_move(
    participation: Participation, source: GrantLine, destination: GrantLine, amount: Decimal
) -> dict[tuple[int, int], Decimal]:
    """Budget moves the ministry decides: from the source line in the participation's first
    year to the destination line in the next, as money moved between years always waits for a
    decision."""
    first = participation.calendar_years[0]
    return {(source.pk, first): -amount, (destination.pk, first + 1): amount}
