"""Importing Statistics Estonia's values of the catalogue indicators for every municipality."""

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from actionplans.models import Indicator
from audit.models import Action
from audit.services import record, record_change
from evaluation import rules
from evaluation.catalogue import TABLES, OfficialTable
from evaluation.models import (
    COUNT_FIELDS,
    SOURCE,
    OfficialValue,
    QuarterlyCounts,
    StatisticsImport,
)
from evaluation.pxweb import Cell, Client, PxWebError
from programme.models import Municipality, Participation
from turvaportaal.lib.rules import require

# The audit log's detail, an English message id translated when shown.
REVISED = "Statistics Estonia revised the value"


def client() -> Client:
    return Client(
        settings.STATISTICS_ESTONIA_API_URL,
        retries=settings.STATISTICS_ESTONIA_RETRIES,
        backoff=settings.STATISTICS_ESTONIA_BACKOFF,
    )


def import_statistics(*, api: Client | None = None, codes: Iterable[str] = ()) -> StatisticsImport:
    """Fetch every catalogue indicator with an official table (or those in `codes`) for all
    municipalities and store the values: new ones created, revised ones updated and audited.
    An indicator whose table fails is named in the run's error; the others are still stored."""
    api = api or client()
    run = StatisticsImport.objects.create(started_at=timezone.now())
    municipalities = {m.ehak_code: m for m in Municipality.objects.all()}
    indicators = {
        i.code: i for i in Indicator.objects.filter(municipality=None, code__in=list(TABLES))
    }
    wanted = set(codes) or set(TABLES)
    errors = []
    for code, entry in TABLES.items():
        if code not in wanted or code not in indicators:
            continue
        try:
            cells = list(api.cells(entry, sorted(municipalities)))
        except PxWebError as error:
            errors.append(f"{code}: {error}")
            continue
        created, revised, unchanged = _store(entry, indicators[code], municipalities, cells)
        run.created += created
        run.revised += revised
        run.unchanged += unchanged
    run.calls = api.call_count
    run.error = "\n".join(errors)
    run.finished_at = timezone.now()
    run.save()
    return run


@transaction.atomic
def _store(
    entry: OfficialTable,
    indicator: Indicator,
    municipalities: dict[str, Municipality],
    cells: list[Cell],
) -> tuple[int, int, int]:
    # Two imports at once (the monthly task and the command) store a table one after the
    # other: the second finds the first's values and creates none twice.
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    today = timezone.localdate()
    existing = {
        (value.municipality_id, value.year): value
        for value in OfficialValue.objects.filter(indicator=indicator)
    }
    new, revised, unchanged = [], [], 0
    for cell in cells:
        municipality = municipalities.get(cell.area)
        if municipality is None:
            continue  # only the municipalities asked for are stored
        value = existing.get((municipality.pk, cell.year))
        if value is None:
            new.append(
                OfficialValue(
                    indicator=indicator,
                    municipality=municipality,
                    year=cell.year,
                    value=cell.value,
                    table=entry.table,
                    imported_on=today,
                )
            )
        elif value.value != cell.value or value.table != entry.table:
            before = {"value": str(value.value), "table": value.table}
            value.value, value.table, value.revised_on = cell.value, entry.table, today
            revised.append(value)
            record(
                None,
                Action.STATE_CHANGE,
                obj=value,
                detail=REVISED,
                before=before,
                after={"value": str(cell.value), "table": entry.table},
                actor_label=str(SOURCE),
            )
        else:
            unchanged += 1
    OfficialValue.objects.bulk_create(new, batch_size=1000)
    OfficialValue.objects.bulk_update(revised, ["value", "table", "revised_on"], batch_size=1000)
    return len(new), len(revised), unchanged


def record_counts(
    *, participation: Participation, quarter_start_on: date, counts: dict[str, int], user: User
) -> QuarterlyCounts:
    """Save a quarter's counts (a second save of the quarter corrects it), audited."""
    with transaction.atomic():
        locked = Participation.objects.select_for_update().get(pk=participation.pk)
        require(rules.may_record_counts(user, locked))
        row = QuarterlyCounts.objects.filter(
            participation=locked, quarter_start_on=quarter_start_on
        ).first() or QuarterlyCounts(participation=locked, quarter_start_on=quarter_start_on)
        before = {name: getattr(row, name) for name in COUNT_FIELDS} if row.pk else None
        for name in COUNT_FIELDS:
            setattr(row, name, counts[name])
        row.full_clean()
        row.save()
        record_change(
            user,
            row,
            "Ringist Välja and STAD counts recorded",
            before=before,
            after={name: counts[name] for name in COUNT_FIELDS},
        )
    return row
