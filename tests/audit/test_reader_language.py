"""The audit log keeps facts (codes, message ids, field names) and words them when read, in the
reader's language; a file's name is never translated."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import Role, User
from audit.models import Action, AuditEvent
from audit.services import record, record_change


def test_the_log_is_worded_in_the_readers_language(client_for, admin, kov_a):
    record_change(
        admin,
        kov_a,
        "person changed by an administrator",
        before={"role": Role.MUNICIPALITY},
        after={"role": Role.MINISTRY},
    )
    # A file named like a message: a name, not a message.
    record(admin, Action.EXPORT, detail="forbidden")
    words = {}
    for language in ("et", "en"):
        page = client_for(admin, language).get(reverse("audit_log")).content.decode()
        with translation.override(language):
            words[language] = [
                str(Action.STATE_CHANGE.label),
                gettext("person changed by an administrator"),
                str(User._meta.verbose_name).capitalize(),
                str(User._meta.get_field("role").verbose_name).capitalize(),
                f"{Role.MUNICIPALITY.label} → {Role.MINISTRY.label}",
                str(Action.EXPORT.label),
            ]
        for word in words[language]:
            assert word in page, word
        assert '<br><span class="small">forbidden</span>' in page
        assert "municipality → ministry" not in page
    assert words["et"][1:2] == ["inimese andmeid muudeti halduses"]
    assert words["en"][1:2] == ["person changed by an administrator"]


def test_the_filter_names_actions_and_kinds_in_the_readers_language(client_for, admin):
    for language, signed_in, kind in [
        ("et", "sisse logitud", "Auditilogi kirje"),
        ("en", "signed in", "Audit record"),
    ]:
        page = client_for(admin, language).get(reverse("audit_log")).content.decode()
        assert f'<option value="sign_in">{signed_in}</option>' in page
        assert f'<option value="audit.auditevent">{kind}</option>' in page


def test_changes_keep_a_field_the_object_lacks_as_it_was_kept(kov_a):
    event = record_change(None, kov_a, "person invited", after={"lines": 2, "role": "admin"})
    with translation.override("en"):
        assert event.changes_in_words() == [("lines", None, 2), ("role", None, "administrator")]
        assert event.detail_text == "person invited"
    assert AuditEvent.objects.get(pk=event.pk).after == {"lines": 2, "role": "admin"}
