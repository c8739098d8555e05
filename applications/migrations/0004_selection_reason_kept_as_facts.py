"""A selection decision keeps why as facts (the selection rule's reason and what it names),
worded when read in the reader's language. Decisions worded before are read back into facts
where their text is one of the rules' explanations, in Estonian or English; the rest keep their
text as it was worded."""

import re
from typing import Any

from django.db import migrations, models
from django.utils import translation
from django.utils.translation import gettext, ngettext

# The explanations as programme.selection worded them when these decisions were made.
SELECTED = "Selected, rank %(rank)s, starts in %(year)s."
SELECTED_OTHER_YEAR = (
    "Selected, rank %(rank)s, starts in %(year)s: the places of the preferred year "
    "%(preferred)s went to applications with higher results."
)
ALREADY_PARTICIPATING = "Not selected: the municipality already takes part in the programme."
BELOW_MINIMUM = "Not selected: the result %(result)s is below the minimum of %(minimum)s."
COUNTY_TAKEN_EARLIER = (
    "Not selected: %(county)s's places are taken by participants of earlier calls (%(names)s)."
)
TIE = "Equal results are ranked by submission time: the earlier ranks higher."
COUNTY_FILLED = (
    "Not selected: %(county)s's place went to %(names)s with a higher result.",
    "Not selected: %(county)s's %(count)s places went to %(names)s with higher results.",
)
PLACES_FILLED = "Not selected: all places (%(places)s) went to applications with higher results."


def _pattern(wording: str) -> re.Pattern[str]:
    """A worded explanation as a pattern whose groups are its placeholders."""
    parts = re.split(r"%\((\w+)\)s", wording)
    pattern = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
    )
    return re.compile(pattern, re.DOTALL)


def _wordings() -> list[tuple[str, re.Pattern[str], bool]]:
    """(reason code, pattern, whether a tie note may follow) in both languages."""
    found = []
    for language in ("et", "en"):
        with translation.override(language):
            found += [
                ("selected", _pattern(gettext(SELECTED_OTHER_YEAR)), False),
                ("selected", _pattern(gettext(SELECTED)), False),
                ("already_participating", _pattern(gettext(ALREADY_PARTICIPATING)), False),
                ("below_minimum", _pattern(gettext(BELOW_MINIMUM)), False),
                ("county_taken_earlier", _pattern(gettext(COUNTY_TAKEN_EARLIER)), False),
                ("county_filled", _pattern(ngettext(*COUNTY_FILLED, 1)), True),
                ("county_filled", _pattern(ngettext(*COUNTY_FILLED, 2)), True),
                ("places_filled", _pattern(gettext(PLACES_FILLED)), True),
            ]
    return found


def facts_of(text: str) -> tuple[str, dict[str, Any]] | None:
    """The reason and facts a worded explanation says, or None if it is none of them."""
    for language in ("et", "en"):
        with translation.override(language):
            tie_note = " " + gettext(TIE)
        for code, pattern, may_tie in _wordings():
            tie = may_tie and text.endswith(tie_note)
            found = pattern.fullmatch(text.removesuffix(tie_note) if tie else text)
            if found is None:
                continue
            said = found.groupdict()
            facts: dict[str, Any] = {}
            if "rank" in said:
                if not (said["rank"].isdigit() and said["year"].isdigit()):
                    continue
                facts = {"rank": int(said["rank"]), "year": int(said["year"])}
                if "preferred" in said:
                    facts["preferred"] = int(said["preferred"])
            elif code == "below_minimum":
                facts = {"result": said["result"], "minimum": said["minimum"]}
            elif "county" in said:
                places = re.findall(r"(\d+): (\d+)", said.get("places", ""))
                facts = {
                    "county": said["county"],
                    "names": said["names"].split(", "),
                    "tie": tie,
                    "places": [[int(year), int(count)] for year, count in places],
                }
            elif "places" in said:
                places = re.findall(r"(\d+): (\d+)", said["places"])
                facts = {
                    "names": [],
                    "county": "",
                    "tie": tie,
                    "places": [[int(year), int(count)] for year, count in places],
                }
            return code, facts
    return None


def read_into_facts(apps: Any, schema_editor: Any) -> None:
    SelectionDecision = apps.get_model("applications", "SelectionDecision")
    for decision in SelectionDecision.objects.filter(reason_code="", change_reason=""):
        found = facts_of(decision.worded_explanation)
        if found is not None:
            decision.reason_code, decision.reason_facts = found
            decision.save(update_fields=["reason_code", "reason_facts"])


def word_again(apps: Any, schema_editor: Any) -> None:
    """Back to a stored text: the explanation worded in Estonian, as it was kept before."""
    from programme.selection import explain_facts

    SelectionDecision = apps.get_model("applications", "SelectionDecision")
    with translation.override("et"):
        for decision in SelectionDecision.objects.filter(worded_explanation=""):
            if decision.change_reason:
                text = gettext("Decided by the ministry: %(reason)s") % {
                    "reason": decision.change_reason
                }
            elif decision.reason_code:
                text = explain_facts(decision.reason_code, decision.reason_facts)
            else:
                continue
            decision.worded_explanation = text
            decision.save(update_fields=["worded_explanation"])


class Migration(migrations.Migration):
    dependencies = [("applications", "0003_criterion_scale_at_most_10")]

    operations = [
        migrations.RenameField(
            model_name="selectiondecision", old_name="explanation", new_name="worded_explanation"
        ),
        migrations.AlterField(
            model_name="selectiondecision",
            name="worded_explanation",
            field=models.TextField(blank=True, verbose_name="explanation as worded"),
        ),
        migrations.AddField(
            model_name="selectiondecision",
            name="reason_code",
            field=models.CharField(blank=True, max_length=30, verbose_name="reason"),
        ),
        migrations.AddField(
            model_name="selectiondecision",
            name="reason_facts",
            field=models.JSONField(blank=True, default=dict, verbose_name="facts of the reason"),
        ),
        migrations.RunPython(read_into_facts, word_again),
    ]
