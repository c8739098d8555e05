from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.forms import BaseInlineFormSet, ModelForm
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from audit.services import form_changes, record_change
from programme import rules, tasks
from programme.forms import CallForm
from programme.models import Call, Cohort, Municipality, Participation, ServiceProvider
from turvaportaal.lib.dates import FIRST_YEAR, LAST_YEAR, in_programme_years
from turvaportaal.lib.queue import send_on_commit
from turvaportaal.lib.rules import require


@transaction.atomic
def save_call(*, form: CallForm, formsets: list[BaseInlineFormSet], user: User) -> Call:
    """Save a call with its start years and information sessions, all or nothing."""
    created = form.instance.pk is None
    require(rules.may_edit_call(user, None if created else form.instance))
    before, after = form_changes(form, *formsets)
    moved_from = (
        form.initial.get("deadline_at") if form.moves_the_deadline_of_applicants() else None
    )
    call = form.save()
    for formset in formsets:
        formset.instance = call
        formset.save()
    if created or after:
        detail = gettext_noop("call created") if created else gettext_noop("call changed")
        record_change(user, call, detail, before=None if created else before, after=after)
    if moved_from:
        reason = form.cleaned_data["deadline_change_reason"]
        send_on_commit(tasks.send_deadline_notice, call.pk, moved_from.isoformat(), reason)
    return call


@dataclass(frozen=True)
class ImportedRow:
    line: int
    municipality: str
    refused: str = ""


PARTICIPATION_COLUMNS = ["ehak_code", "stage", "start_year", "start_on", "end_on", "grant_amount"]


@transaction.atomic
def import_participations(
    rows: Iterable[dict[str, str]], *, user: User | None = None
) -> list[ImportedRow]:
    """Take in participations that began before the portal, one CSV row each. Good rows are
    saved; each refused row says why. They count for the selection rules like selected ones.

    Without a user the import is the server's own (the management command, the demo data)."""
    if user is not None:
        require(rules.may_import_participations(user))
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


GRANT = Participation._meta.get_field("grant_amount")


def _date_of(row: dict[str, str], column: str, errors: list[str]) -> date | None:
    """The column's date, within the years a programme can have; else None and why."""
    try:
        value = date.fromisoformat((row.get(column) or "").strip())
    except ValueError:
        errors.append(_("%(column)s is not a date (YYYY-MM-DD).") % {"column": column})
        return None
    try:
        in_programme_years(value)
    except ValidationError as error:
        errors += [f"{column}: {message}" for message in error.messages]
        return None
    return value


def _year_of(row: dict[str, str], errors: list[str]) -> int | None:
    try:
        year = int((row.get("start_year") or "").strip())
    except ValueError:
        errors.append(_("The start year is not a number."))
        return None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        errors.append(
            _("The start year must be between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
        return None
    return year


def _grant_of(row: dict[str, str], errors: list[str]) -> Decimal | None:
    """The grant in euros, refused when the column could not hold it (its digits before and
    after the decimal point)."""
    text = (row.get("grant_amount") or "35000").strip().replace(",", ".")
    try:
        grant = Decimal(text)
    except InvalidOperation:
        grant = Decimal("NaN")
    if not grant.is_finite():
        errors.append(_("The grant is not an amount in euros."))
        return None
    if grant <= 0:
        errors.append(_("The grant must be more than zero."))
        return None
    # Trailing zeros do not count: 35000.000 is 35000.00.
    _sign, digits, exponent = grant.normalize().as_tuple()
    assert isinstance(exponent, int)  # a finite number's exponent
    places = max(-exponent, 0)
    whole = max(len(digits) + exponent, 0)
    most_whole = GRANT.max_digits - GRANT.decimal_places
    if whole > most_whole or places > GRANT.decimal_places:
        errors.append(
            _(
                "The grant %(amount)s has more digits than the column holds: at most "
                "%(whole)s before the decimal point and %(places)s after."
            )
            % {"amount": text[:40], "whole": most_whole, "places": GRANT.decimal_places}
        )
        return None
    return grant.quantize(Decimal(1).scaleb(-GRANT.decimal_places))


def _participation_from(row: dict[str, str], municipality: Municipality) -> Participation:
    errors: list[str] = []
    stage = (row.get("stage") or "").strip().upper().removesuffix(" ETAPP")
    stages = {
        "1": Call.Stage.FIRST,
        "I": Call.Stage.FIRST,
        "2": Call.Stage.SECOND,
        "II": Call.Stage.SECOND,
    }
    if stage not in stages:
        errors.append(_("The stage must be I or II."))
    start_year = _year_of(row, errors)
    start_on, end_on = _date_of(row, "start_on", errors), _date_of(row, "end_on", errors)
    grant = _grant_of(row, errors)
    if errors:
        raise ValidationError(errors)
    assert start_year is not None and start_on and end_on and grant is not None
    cohort = Cohort.objects.filter(stage=stages[stage], start_year=start_year).first() or Cohort(
        stage=stages[stage], start_year=start_year
    )
    participation = Participation(
        municipality=municipality,
        cohort=cohort,
        start_on=start_on,
        end_on=end_on,
        grant_amount=grant,
        source=Participation.Source.IMPORT,
    )
    try:
        participation.full_clean(exclude=["cohort"])
    except ValidationError as error:
        # Each message names its column; the row's own rules (the end after the start) none.
        raise ValidationError(
            [
                message if field == NON_FIELD_ERRORS else f"{field}: {message}"
                for field, messages in error.message_dict.items()
                for message in messages
            ]
        ) from error
    if participation.start_on.year != start_year:
        raise ValidationError(_("The start date is not in the start year."))
    return participation


@transaction.atomic
def save_provider(*, form: ModelForm, user: User) -> ServiceProvider:
    """Add a provider organisation or change its details."""
    require(rules.may_edit_provider(user, form.instance if form.instance.pk else None))
    created = form.instance.pk is None
    before, after = form_changes(form)
    provider = form.save()
    if created or after:
        detail = gettext_noop("provider added") if created else gettext_noop("provider changed")
        record_change(user, provider, detail, before=None if created else before, after=after)
    return provider


def assign_providers(
    *, assignments: dict[Participation, ServiceProvider | None], user: User
) -> int:
    """Ministry staff set which provider counsels each participation; returns how many changed.

    The provider assigned now sees the participation's plan and counselling history; the one
    before it no longer does."""
    require(rules.may_assign_providers(user))
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
            record_change(
                user,
                participation,
                gettext_noop("service provider assigned"),
                before={"service_provider": before},
                after={"service_provider": provider.name if provider else None},
                label=participation.municipality.name,
            )
    return len(changed)
