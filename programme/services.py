from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import BaseInlineFormSet, ModelForm
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.services import form_changes, record_change
from programme.models import Call, Cohort, Municipality, Participation, ServiceProvider


@transaction.atomic
def save_call(*, form: ModelForm, formsets: list[BaseInlineFormSet]) -> Call:
    """Save a call with its start years and information sessions, all or nothing."""
    created = form.instance.pk is None
    before, after = form_changes(form, *formsets)
    call = form.save()
    for formset in formsets:
        formset.instance = call
        formset.save()
    if created or after:
        detail = gettext_noop("call created") if created else gettext_noop("call changed")
        record_change(None, call, detail, before=None if created else before, after=after)
    return call


@dataclass(frozen=True)
class ImportedRow:
    line: int
    municipality: str
    refused: str = ""


PARTICIPATION_COLUMNS = ["ehak_code", "stage", "start_year", "start_on", "end_on", "grant_amount"]


@transaction.atomic
def import_participations(rows: Iterable[dict[str, str]]) -> list[ImportedRow]:
    """Take in participations that began before the portal, one CSV row each. Good rows are
    saved; each refused row says why. They count for the selection rules like selected ones."""
    report = []
    taken = Counter(Participation.objects.values_list("municipality__county_id", flat=True))
    # Read once, not a query a row: the municipalities, and which of them take part already.
    municipalities = {m.ehak_code: m for m in Municipality.objects.select_related("county")}
    participating = set(Participation.objects.values_list("municipality_id", flat=True))
    for line, row in enumerate(rows, start=2):
        code = (row.get("ehak_code") or "").strip().zfill(4)
        municipality = municipalities.get(code)
        if municipality is None:
            report.append(
                ImportedRow(line, code, _("Unknown EHAK code %(code)s.") % {"code": code})
            )
            continue
        if municipality.pk in participating:
            report.append(
                ImportedRow(line, municipality.name, _("Already takes part in the programme."))
            )
            continue
        try:
            participation = _participation_from(row, municipality)
        except ValidationError as error:
            report.append(ImportedRow(line, municipality.name, " ".join(error.messages)))
            continue
        if taken[municipality.county_id] >= municipality.county.participant_limit:
            report.append(
                ImportedRow(
                    line,
                    municipality.name,
                    _("%(county)s already has its %(limit)s participant(s).")
                    % {
                        "county": municipality.county.name,
                        "limit": municipality.county.participant_limit,
                    },
                )
            )
            continue
        participation.cohort.save()
        # The saved cohort itself, not its id: setting the id would drop the cohort loaded.
        participation.cohort = participation.cohort
        participation.save()
        participating.add(municipality.pk)
        record_change(
            None,
            participation,
            gettext_noop("participation imported"),
            after={
                "start_on": participation.start_on,
                "end_on": participation.end_on,
                "grant_amount": participation.grant_amount,
            },
        )
        taken[municipality.county_id] += 1
        report.append(ImportedRow(line, municipality.name))
    return report


def _participation_from(row: dict[str, str], municipality: Municipality) -> Participation:
    errors = []
    stage = (row.get("stage") or "").strip().upper().removesuffix(" ETAPP")
    stages = {
        "1": Call.Stage.FIRST,
        "I": Call.Stage.FIRST,
        "2": Call.Stage.SECOND,
        "II": Call.Stage.SECOND,
    }
    if stage not in stages:
        errors.append(_("The stage must be I or II."))
    dates = {}
    for name in ["start_on", "end_on"]:
        try:
            dates[name] = date.fromisoformat((row.get(name) or "").strip())
        except ValueError:
            errors.append(_("%(column)s is not a date (YYYY-MM-DD).") % {"column": name})
    try:
        start_year = int((row.get("start_year") or "").strip())
    except ValueError:
        errors.append(_("The start year is not a number."))
        start_year = 0
    try:
        grant = Decimal((row.get("grant_amount") or "35000").strip().replace(",", "."))
    except InvalidOperation:
        errors.append(_("The grant is not an amount in euros."))
        grant = Decimal("0")
    if errors:
        raise ValidationError(errors)
    cohort = Cohort.objects.filter(stage=stages[stage], start_year=start_year).first() or Cohort(
        stage=stages[stage], start_year=start_year
    )
    participation = Participation(
        municipality=municipality,
        cohort=cohort,
        start_on=dates["start_on"],
        end_on=dates["end_on"],
        grant_amount=grant,
        source=Participation.Source.IMPORT,
    )
    participation.full_clean(exclude=["cohort"])
    if participation.start_on.year != start_year:
        raise ValidationError(_("The start date is not in the start year."))
    return participation


def assign_providers(*, assignments: dict[Participation, ServiceProvider | None]) -> int:
    """Ministry staff set which provider counsels each participation; returns how many changed.

    The provider assigned now sees the participation's plan and counselling history; the one
    before it no longer does."""
    changed = [
        participation
        for participation, provider in assignments.items()
        if participation.service_provider_id != (provider.pk if provider else None)
    ]
    # One query for the names of the providers before, for the audit records.
    names: dict[int | None, str] = dict(
        ServiceProvider.objects.filter(
            pk__in=[p.service_provider_id for p in changed if p.service_provider_id]
        ).values_list("pk", "name")
    )
    with transaction.atomic():
        for participation in changed:
            before = names.get(participation.service_provider_id)
            provider = assignments[participation]
            participation.service_provider = provider
            participation.save(update_fields=["service_provider"])
            # The service is not told who: the record names the signed-in user of the request.
            record_change(
                None,
                participation,
                gettext_noop("service provider assigned"),
                before={"service_provider": before},
                after={"service_provider": provider.name if provider else None},
                label=participation.municipality.name,
            )
    return len(changed)
