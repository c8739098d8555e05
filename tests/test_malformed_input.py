"""Malformed input on every form: whatever is posted, the portal never answers with a 5xx.

Every route of the URL configuration is posted to by a persona allowed to use it, over the data
set of tests/test_url_matrix.py. The fields come from the page itself: its POST forms (for a
route that takes only POST, the forms on the page that carries its button) are read from the
HTML, and Hypothesis fills them with malformed values: empty, huge, NUL and control characters,
unicode oddities, text for numbers and dates, impossible numbers and dates, ids that do not exist
or belong to another municipality, lists for single values, missing and extra fields, and broken
uploads. Every example runs in a transaction that is rolled back, so each meets the same data;
where a form is refused, the object it edits must be as it was. Forms that the data set's state
does not show (the second factor, scores, consensus, attendance, a real password reset link,
assigning evaluators, the language switch) are walked again in a state that shows them.
"""

import copy
import re
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.models import Role
from applications.evaluation import ensure_default_criteria
from applications.models import Application, Assignment, Status
from learning.models import Training
from programme.models import Municipality
from tests.conftest import KEILA_LINN
from tests.factories import UserFactory, pdf_bytes, scored
from tests.test_url_matrix import (
    MATRIX,
    PERSONAS,
    POST_ONLY,
    PUBLIC,
    ROUTE_NAMES,
    ROUTE_PARAMS,
    signed_in,
    url_of,
)
from tests.test_url_matrix import world as world
from tests.test_url_matrix import world_of_the_module as world_of_the_module

pytestmark = pytest.mark.django_db

# Where the button of each route that takes only POST is (the page in the matrix's data set).
FORM_PAGE = {
    "logout": "dashboard",
    "notifications_mark_read": "notification_list",
    "invitation_resend": "people",
    "plan_reopen": "plan_detail",
    "report_request_application": "application_detail",
    "application_start": "dashboard",
    "call_start_evaluation": "call_overview",
    "evaluation_assign": "evaluation_overview",
    "evaluation_assign_many": "evaluation_overview",
    "plan_submit": "plan_detail",
    "ledger_expenditure": "ledger",
    "ledger_disbursement": "ledger",
    "ledger_review": "ledger",
    "budget_change": "ledger",
    "budget_change_decide": "ledger",
    "claim_add": "claim",
    "claim_remove": "claim",
    "claim_decide": "claim_review",
    "session_answer": "session_detail",
    "step_status": "session_detail",
    "training_register": "training_detail",
    "training_withdraw": "training_detail",
    "practice_submit": "practice_detail",
    "practice_publish": "practice_detail",
    "practice_return": "practice_detail",
    "practice_unpublish": "practice_detail",
    "report_request_municipality": "report_list",
    "report_request_programme": "report_list",
    "final_report_practice": "final_report",
}

# The fields of forms the data set's state does not show (a decision on a plan not yet
# submitted, an assignment before the evaluation starts), read from their views.
HIDDEN_FORMS = {
    "plan_decide": [{"approve": "", "comment": ""}],
    "practice_publish": [{}],
    "practice_return": [{"comment": "Palun täpsustage."}],
    "practice_unpublish": [{}],
    "application_withdraw": [{}],
    "ledger_review": [{"approve": "", "reason": ""}],
    "budget_change_decide": [{"approve": "", "reason": ""}],
    # A's claim is submitted: its draft forms and the decision (a line undecided) are not shown.
    "claim_add": [{"entries": "1"}],
    "claim_remove": [{}],
    "claim_decide": [{}],
    # A's final report is a draft without lessons: not decided, no practice started from it, the
    # participation not closed.
    "final_report_decide": [{"approve": "", "comment": ""}],
    "final_report_practice": [{}],
    "participation_close": [{}],
    # A question about A's plan, a draft, which no one is asked about.
    "inquiry_ask": [{"question": "Palun täpsustage.", "sections": "budget"}],
}

# The object a route's form edits: a refused form must leave it, and its rows, as they were.
SUBJECT = {
    "application_form": "application",
    "application_budget": "application",
    "application_activities": "application",
    "application_decision": "application",
    "call_edit": "call",
    "evaluation_criteria": "call",
    "evaluate": "assignment",
    "plan_text": "plan",
    "plan_problems": "plan",
    "plan_goals": "plan",
    "plan_activities": "plan",
    "plan_indicators": "plan",
    "plan_targets": "plan",
    "plan_updates": "plan",
    "indicator_edit": "indicator",
    "session_edit": "session",
    "training_edit": "training",
    "training_attendance": "training",
    "sharing_edit": "event",
    "practice_edit": "practice",
    "inquiry_ask": "plan",
    "inquiry_answer": "inquiry",
    "claim": "claim",
    "claim_review": "claim",
    "agreement_edit": "agreement",
    "agreement_upload": "agreement",
    "agreement_amend": "agreement",
}

# Forms get more examples than buttons (modest: the whole test runs in a few minutes).
EXAMPLES_WITH_FIELDS = 15
EXAMPLES_WITHOUT_FIELDS = 4

MISSING = object()


# ---------------------------------------------------------------------------------------------
# The forms of a page
# ---------------------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    multipart: bool = False
    fields: dict[str, list[str]] = field(default_factory=dict)  # name: values a browser sends
    files: set[str] = field(default_factory=set)
    buttons: list[tuple[str, str]] = field(default_factory=list)


class FormParser(HTMLParser):
    """The POST forms of a page, with each field's name and the values the page offers."""

    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "form" and a.get("method", "get").lower() == "post":
            action = urlsplit(a.get("action") or self.page_url).path
            self.form = Form(action, multipart="multipart" in a.get("enctype", ""))
            self.forms.append(self.form)
        if tag == "option" and self.form is not None and self.select:
            self.form.fields[self.select].append(a.get("value", ""))
        if self.form is None or not name:
            return
        values = self.form.fields.setdefault(name, [])
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "file":
                self.form.files.add(name)
            elif kind == "submit":
                self.form.buttons.append((name, a.get("value", "")))
            else:
                values.append(a.get("value", "on" if kind in ("checkbox", "radio") else ""))
        elif tag == "button":
            self.form.buttons.append((name, a.get("value", "")))
            del self.form.fields[name]
        elif tag == "select":
            self.select = name
        elif tag == "textarea":
            self.textarea = name
            values.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self.form is not None and self.textarea:
            self.form.fields[self.textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def forms_for(client: Client, page: str, url: str) -> list[Form]:
    response = client.get(page)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return []
    parser = FormParser(page)
    parser.feed(response.content.decode())
    return [form for form in parser.forms if form.action == url]


# ---------------------------------------------------------------------------------------------
# Malformed values
# ---------------------------------------------------------------------------------------------

ODD_TEXT = [
    "",
    " ",
    " \t\r\n ",
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m\x7f",
    "\u202eevil\u202c",
    "\ufeff",
    "\u200b\u200d",
    "👩‍👩‍👧‍👦",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "e\u0301\u0301\u0301\u0301",
    "İıßẞ",
    "ﷺ",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%s %(x)s {0} {{x}}",
    "x" * 5_000,
    "ü" * 100_001,
]
ODD_NUMBERS = [
    "abc",
    "-1",
    "0",
    "-0",
    "0.001",
    "1,5",
    "12 500,00",
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "1" * 40,
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "0x10",
    "１２",  # full-width digits
]
ODD_DATES = [
    "0000-00-00",
    "2024-02-30",
    "2024-13-01",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "31.12.2024",
    "2024-1-1",
    "yesterday",
    "2024-01-01T25:61",
]

text = st.text(st.characters(codec="utf-8"), max_size=50)
scalar = st.one_of(
    st.sampled_from(ODD_TEXT), st.sampled_from(ODD_NUMBERS), st.sampled_from(ODD_DATES), text
)


# A ZIP archive that calls itself a signed container, signed by no one: for the .asice and .bdoc
# uploads (turvaportaal/lib/signatures.py).
ZIP = (
    b"PK\x03\x04\x14\x00\x00\x00\x00\x00" + b"\x00" * 16 + b"\x08\x00\x00\x00mimetype"
    b"application/vnd.etsi.asic-e+zip"
)


def uploads() -> st.SearchStrategy[Any]:
    pdf = pdf_bytes()
    contents = st.sampled_from(
        [b"", b"%PDF-1.4\n", pdf[: len(pdf) // 2], b"\x00" * 1000, b"MZ\x90\x00", pdf, ZIP]
    )
    names = st.sampled_from(
        [
            "a.pdf",
            "../../etc/passwd.pdf",
            "x" * 300 + ".pdf",
            "dokument.exe",
            "ä ö ü.pdf",
            "leping.asice",
            "otsus.BDOC",
        ]
    )
    kinds = st.sampled_from(["application/pdf", "text/html", "", "image/png"])
    files = st.builds(SimpleUploadedFile, names, contents, kinds)
    return st.one_of(files, scalar, st.just(MISSING))


@st.composite
def malformed(draw: st.DrawFn, forms: list[Form], foreign_ids: list[str]) -> dict[str, Any]:
    """A POST body: one of the forms, each field kept, spoiled, made a list or left out."""
    form = draw(st.sampled_from(forms)) if forms else Form("")
    value = st.one_of(scalar, st.sampled_from(foreign_ids))
    data: dict[str, Any] = {}
    for name, offered in form.fields.items():
        good = st.sampled_from(offered) if offered else st.just("")
        choice = draw(
            st.one_of(
                good,
                value,
                st.just(MISSING),
                st.lists(st.one_of(good, value), min_size=2, max_size=3),
            )
        )
        if choice is not MISSING:
            data[name] = choice
    for name in form.files:
        upload = draw(uploads())
        if upload is not MISSING:
            data[name] = upload
    if form.buttons:
        name, pressed = draw(st.sampled_from(form.buttons))
        if name:
            data[name] = draw(st.one_of(st.just(pressed), value))
    extra = draw(st.dictionaries(st.sampled_from(["pk", "id", "status", "x\x00"]), value))
    return data | extra


# ---------------------------------------------------------------------------------------------
# The test
# ---------------------------------------------------------------------------------------------


def persona_for(name: str) -> str | None:
    """Who may use the route: nobody signed in for the public ones, else the first allowed, or
    where the data set allows no one (every municipality of it takes part, so none may apply),
    the first who is refused with a reason."""
    if name in PUBLIC:
        return None
    allowed = [p for p in PERSONAS if MATRIX[name][p] in (200, 302)]
    return (allowed or [p for p in PERSONAS if MATRIX[name][p] == 403])[0]


def foreign_ids(world: SimpleNamespace) -> list[str]:
    keila = Municipality.objects.get(ehak_code=KEILA_LINN)
    ids = [keila.pk, keila.participation.pk, keila.participation.budget_lines.get().pk]
    return [str(pk) for pk in ids] + ["0", "-1", "999999999", "2147483648", "9223372036854775808"]


def snapshot(obj: models.Model) -> Any:
    """The row and its own rows (one level down), as the database has them."""
    model = type(obj)
    rows: dict[str, Any] = {"self": model._default_manager.filter(pk=obj.pk).values().get()}
    for relation in model._meta.related_objects:
        if relation.one_to_many:
            related = relation.related_model._default_manager.filter(
                **{relation.field.name: obj.pk}
            )
            rows[relation.name] = list(related.order_by("pk").values())
    return rows


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    cookies = copy.deepcopy(client.cookies)  # a sign-out example must not sign out the next
    try:
        return client.post(url, data)
    finally:
        client.cookies = cookies


@pytest.mark.parametrize("name", ROUTE_NAMES)
def test_malformed_posts_never_cause_a_server_error(name, world):
    persona = persona_for(name)
    client = Client() if persona is None else signed_in(world.users[persona])
    url = url_of(world, name)
    page = url_of(world, FORM_PAGE.get(name, name))
    forms = forms_for(client, page, url)
    if not forms and name in HIDDEN_FORMS:
        forms = [Form(url, fields={k: [v] for k, v in f.items()}) for f in HIDDEN_FORMS[name]]
    subject = getattr(world, SUBJECT[name]) if name in SUBJECT else None
    ids = foreign_ids(world)
    if not forms and name not in POST_ONLY:
        # A page without a form of its own: one POST of stray fields is all it may get.
        response = post(client, url, {"pk": ids[0], "status": "\x00", "id": ["1", "x"]})
        assert response.status_code < 500
        return
    fuzz(client, url, forms, ids, subject, f"POST {name} as {persona}")


def fuzz(
    client: Client,
    url: str,
    forms: list[Form],
    ids: list[str],
    subject: models.Model | None,
    what: str,
) -> None:
    """Post malformed bodies built from the forms: never a 5xx, and a refused form leaves its
    subject as it was."""
    has_fields = any(form.fields or form.files for form in forms)

    @hypothesis_settings(
        max_examples=EXAMPLES_WITH_FIELDS if has_fields else EXAMPLES_WITHOUT_FIELDS,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=malformed(forms, ids))
    def post_malformed(data: dict[str, Any]) -> None:
        with transaction.atomic():
            before = snapshot(subject) if subject is not None else None
            response = post(client, url, data)
            assert response.status_code < 500, f"{what}: {data!r}"
            if before is not None and response.status_code != 302:
                assert snapshot(subject) == before, f"{what}: a refused form changed data"
            transaction.set_rollback(True)

    post_malformed()


# ---------------------------------------------------------------------------------------------
# Forms that only another state shows: the walk above meets each route in the data set's state
# and as one persona, which never sees these.
# ---------------------------------------------------------------------------------------------


def _before_the_second_factor(world: SimpleNamespace, device: bool) -> Client:
    """Ministry staff signed in with the password only (a confirmed device or none yet)."""
    ministry = world.users["ministry"]
    if device:
        TOTPDevice.objects.create(user=ministry, name="Telefon", confirmed=True)
    client = Client()
    client.force_login(ministry)
    return client


def _two_factor_setup(world: SimpleNamespace) -> tuple[Client, str, Any]:
    return _before_the_second_factor(world, device=False), reverse("two_factor_setup"), None


def _two_factor_verify(world: SimpleNamespace) -> tuple[Client, str, Any]:
    return _before_the_second_factor(world, device=True), reverse("two_factor_verify"), None


def _under_evaluation(world: SimpleNamespace) -> None:
    Application.objects.filter(pk=world.application.pk).update(status=Status.UNDER_EVALUATION)


def _scores(world: SimpleNamespace) -> tuple[Client, str, Any]:
    """The county evaluator's score form: the application under evaluation, no conflict."""
    _under_evaluation(world)
    ensure_default_criteria(world.call)
    Assignment.objects.filter(pk=world.assignment.pk).update(has_conflict=False)
    client = signed_in(world.users["county_evaluator"])
    return client, url_of(world, "evaluate"), world.assignment


def _consensus(world: SimpleNamespace) -> tuple[Client, str, Any]:
    """Ministry staff's consensus form: two evaluators far apart on every criterion."""
    _under_evaluation(world)
    Assignment.objects.filter(pk=world.assignment.pk).delete()
    for value, email in [(0, "madal@hindaja.example"), (5, "korge@hindaja.example")]:
        scored(world.application, UserFactory(role=Role.MINISTRY, email=email), value)
    return signed_in(world.users["ministry"]), url_of(world, "consensus"), world.application


def _attendance(world: SimpleNamespace) -> tuple[Client, str, Any]:
    """The organiser's attendance form, from the training's day on."""
    Training.objects.filter(pk=world.training.pk).update(
        starts_on=timezone.localdate() - timedelta(days=1)
    )
    persona = persona_for("training_attendance")
    assert persona is not None
    client = signed_in(world.users[persona])
    return client, url_of(world, "training_attendance"), world.training


def _new_password(world: SimpleNamespace) -> tuple[Client, str, Any]:
    """A real reset link: Django moves it to the page that sets the new password."""
    user = world.users["kov_a"]
    link = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    client = Client()
    return client, client.get(link).url, None


def _assignment(world: SimpleNamespace) -> tuple[Client, str, Any]:
    """Ministry staff assign evaluators once the call's applications are under evaluation."""
    _under_evaluation(world)
    return signed_in(world.users["ministry"]), url_of(world, "evaluation_assign"), None


def _assignments(world: SimpleNamespace) -> tuple[Client, str, Any]:
    """Ministry staff assign evaluators to many of the call's applications at once."""
    _under_evaluation(world)
    return signed_in(world.users["ministry"]), url_of(world, "evaluation_assign_many"), None


def _language(world: SimpleNamespace) -> tuple[Client, str, Any]:
    return signed_in(world.users["kov_a"]), reverse("set_language"), None


OTHER_STATES = [
    _two_factor_setup,
    _two_factor_verify,
    _scores,
    _consensus,
    _attendance,
    _new_password,
    _assignment,
    _assignments,
    _language,
]
# The page that shows the form, where it is not the form's own address.
SHOWN_ON = {
    "_assignment": "evaluation_overview",
    "_assignments": "evaluation_overview",
    "_language": "dashboard",
}


@pytest.mark.parametrize("state", OTHER_STATES, ids=lambda state: state.__name__.strip("_"))
def test_malformed_posts_to_forms_of_other_states_never_cause_a_server_error(state, world):
    client, url, subject = state(world)
    page = url_of(world, SHOWN_ON[state.__name__]) if state.__name__ in SHOWN_ON else url
    forms = forms_for(client, page, url)
    assert any(form.fields for form in forms), f"{state.__name__}: the form is not shown"
    fuzz(client, url, forms, foreign_ids(world), subject, f"POST {url}")


def test_every_form_of_the_data_set_is_found(world):
    """The control for the walk: the forms are read, buttons and uploads too."""
    assert set(FORM_PAGE) == POST_ONLY, "say on which page the new route's button is"
    client = signed_in(world.users["kov_a"])
    [form] = forms_for(client, url_of(world, "practice_edit"), url_of(world, "practice_edit"))
    assert {"title", "description"} <= set(form.fields)
    [upload] = forms_for(
        client, url_of(world, "application_decision"), url_of(world, "application_decision")
    )
    assert upload.multipart and upload.files == {"file"}
    assert forms_for(client, url_of(world, "ledger"), url_of(world, "ledger_expenditure"))
    assert forms_for(client, reverse("dashboard"), reverse("logout"))


# ---------------------------------------------------------------------------------------------
# Broken multipart bodies, where a form takes a file
# ---------------------------------------------------------------------------------------------

UPLOAD_ROUTES = [
    "agreement_upload",
    "agreement_amend",
    "application_decision",
    "conversation",
    "ledger_expenditure",
    "plan_indicators",
    "participation_list",
    "sharing_create",
    "sharing_edit",
]
PART = b'--b\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n%s\r\n%s'
BROKEN_BODIES = [
    ("multipart/form-data", b"--b\r\n"),  # no boundary
    ("multipart/form-data; boundary=b", b""),
    ("multipart/form-data; boundary=b", PART % (b"file", b"a.pdf", b"", b"%PDF-1.4")),  # unended
    ("multipart/form-data; boundary=b", PART % (b"file", b"", b"", b"\r\n--b--\r\n")),
    ("multipart/form-data; boundary=b", PART % (b"", b"a.pdf", b"", b"x\r\n--b--\r\n")),
    (
        "multipart/form-data; boundary=b",
        PART % (b"document", b"a.pdf", b"Content-Transfer-Encoding: base64\r\n", b"!!\r\n--b--"),
    ),
    ("multipart/form-data; boundary=b; charset=no-such-charset", PART % (b"a", b"", b"", b"--b--")),
    ("multipart/form-data; boundary=" + "b" * 100, b"--" + b"b" * 100 + b"--\r\n"),
    ("application/x-www-form-urlencoded", b"%ZZ=%ZZ&a=%00&&=&b&%C3%28=%FF"),
    ("application/json", b'{"title": '),
    ("text/plain", b"\x00\xff\xfe"),
]


@pytest.mark.parametrize("name", UPLOAD_ROUTES)
def test_broken_multipart_bodies_never_cause_a_server_error(name, world):
    persona = persona_for(name)
    assert persona is not None
    client = signed_in(world.users[persona])
    url = url_of(world, name)

    def post_broken(content_type: str, content: bytes) -> None:
        with transaction.atomic():
            response = client.generic("POST", url, content, content_type=content_type)
            assert response.status_code < 500, f"POST {name}: {content_type} {content!r}"
            transaction.set_rollback(True)

    for content_type, content in BROKEN_BODIES:
        post_broken(content_type, content)

    @hypothesis_settings(
        max_examples=15,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(content=st.binary(max_size=300))
    def post_random(content: bytes) -> None:
        post_broken("multipart/form-data; boundary=b", b"--b\r\n" + content)

    post_random()


# ---------------------------------------------------------------------------------------------
# A NUL byte in the address: PostgreSQL refuses it in text, so a route must never look it up
# ---------------------------------------------------------------------------------------------


def text_parameters(name: str) -> set[str]:
    """The route's parameters that can carry a NUL byte (str, slug, path; not the digits of an
    int), from the converters of every pattern of the name, includes too."""
    return {
        param
        for _bits, _pattern, _defaults, converters in get_resolver().reverse_dict.getlist(name)
        for param, converter in converters.items()
        if re.fullmatch(converter.regex, "a\x00b")
    }


TEXT_ROUTES = [(name, param) for name in ROUTE_NAMES for param in sorted(text_parameters(name))]


def test_the_routes_with_text_parameters_are_found():
    """The control for the walk below: the municipality's code and the export formats."""
    assert ("municipality_detail", "ehak_code") in TEXT_ROUTES
    assert ("export_table", "fmt") in TEXT_ROUTES
    assert ("application_detail", "pk") not in TEXT_ROUTES
    assert all(param in ROUTE_PARAMS[name] for name, param in TEXT_ROUTES)


@pytest.mark.parametrize(("name", "param"), TEXT_ROUTES)
@pytest.mark.parametrize("spoil", ["{}\x00", "\x00"], ids=["after", "alone"])
def test_a_nul_byte_in_a_text_parameter_is_404(name, param, spoil, world):
    """The real value with a NUL byte after it, and a NUL alone, by GET and by POST."""
    persona = persona_for(name)
    client = Client() if persona is None else signed_in(world.users[persona])
    kwargs = dict(world.kwargs[name])
    kwargs[param] = spoil.format(kwargs[param])
    url = reverse(name, kwargs=kwargs)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 404, f"{method.__name__} {url}"


@pytest.mark.parametrize(
    "url",
    [
        "/admin/programme/municipality/1%00/change/",
        "/admin/%00/",
        "/no-such-page%00/",
        "/%00",
    ],
)
def test_a_nul_byte_anywhere_in_the_address_is_404(url, world):
    """Django admin's object ids are paths, and an address that names no route must not be
    sent elsewhere (to sign in, or with a slash added) either."""
    for client in (Client(), signed_in(world.users["admin"])):
        response = client.get(url)
        assert response.status_code == 404, url
        # The page is the portal's own 404, with the headers of every page.
        assert "Content-Security-Policy" in response and response["X-Frame-Options"] == "DENY"
