"""Writes on users: display preferences, API tokens, password reset; each audited, each refusal changes nothing."""

import pytest
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from conftest import PASSWORD, make_user
from unionhall.accounts import services
from unionhall.accounts.models import User
from unionhall.audit.models import AuditEntry
from unionhall.core.errors import DomainError, NotFound


def db_state() -> dict:
    return {
        "users": list(
            User.objects.order_by("pk").values_list("username", "language", "latin_digits", "calendar", "password")
        ),
        "tokens": list(Token.objects.order_by("key").values_list("key", "user_id")),
        "audit": AuditEntry.objects.count(),
    }


@pytest.fixture
def member(db) -> User:
    return make_user("member1")


def test_preferences_update_saves_and_audits(member):
    updated = services.user_preferences_update(actor=member, language="fa", latin_digits=True, calendar="jalali")
    assert updated is member
    member.refresh_from_db()
    assert (member.language, member.latin_digits, member.calendar) == ("fa", True, "jalali")
    [entry] = AuditEntry.objects.filter(action="user.preferences")
    assert (entry.actor_id, entry.actor_label, entry.object_type, entry.object_id) == (
        member.pk,
        "member1",
        "accounts.user",
        str(member.pk),
    )
    assert entry.before == {"language": "en", "latin_digits": False, "calendar": "gregorian"}
    assert entry.after == {"language": "fa", "latin_digits": True, "calendar": "jalali"}
    assert (entry.unit_id, entry.unit_path) == (None, "")


@pytest.mark.parametrize(
    ("language", "calendar", "field"),
    [
        ("de", "gregorian", "language"),
        ("vi", "lunar", "calendar"),
        ("", "gregorian", "language"),
        ("vi\x00", "gregorian", "language"),
    ],
)
def test_preferences_update_refuses_unknown_values(member, language, calendar, field):
    before = db_state()
    with pytest.raises(DomainError) as info:
        services.user_preferences_update(actor=member, language=language, latin_digits=False, calendar=calendar)
    assert info.value.field == field
    assert db_state() == before
    # The caller's user object is left as it was, too.
    assert (member.language, member.latin_digits, member.calendar) == ("en", False, "gregorian")


def test_token_renew_replaces_the_token(member):
    first = services.user_token_renew(actor=member, user=member)
    assert Token.objects.get(user=member).key == first
    second = services.user_token_renew(actor=member, user=member)
    assert second != first
    assert list(Token.objects.filter(user=member).values_list("key", flat=True)) == [second]
    assert not Token.objects.filter(key=first).exists()
    entries = list(AuditEntry.objects.filter(action="user.token_renew").order_by("id"))
    assert [(e.actor_id, e.object_id, e.before, e.after) for e in entries] == [
        (member.pk, str(member.pk), None, None),
        (member.pk, str(member.pk), None, None),
    ]
    # The key itself never reaches the audit log.
    assert not AuditEntry.objects.filter(after__icontains=second).exists()
    assert all(first not in str(e.after) and second not in str(e.after) for e in entries)


def test_the_old_token_stops_working_at_once(member):
    old = services.user_token_renew(actor=member, user=member)
    new = services.user_token_renew(actor=member, user=member)
    auth = TokenAuthentication()
    assert auth.authenticate_credentials(new)[0] == member
    with pytest.raises(AuthenticationFailed):
        auth.authenticate_credentials(old)


def test_token_renew_for_someone_else(member):
    other = make_user("other")
    services.user_token_renew(actor=other, user=other)
    before = db_state()
    # Another user must not obtain (or break) this user's token.
    with pytest.raises(NotFound):
        services.user_token_renew(actor=other, user=member)
    assert db_state() == before
    # An administrator may renew it (e.g. for a lost device); so may a command run by the operator.
    admin = make_user("root", is_superuser=True)
    key = services.user_token_renew(actor=admin, user=member)
    assert Token.objects.get(user=member).key == key
    key = services.user_token_renew(actor=None, user=member)
    assert Token.objects.get(user=member).key == key
    assert list(AuditEntry.objects.filter(action="user.token_renew").values_list("actor_label", flat=True)) == [
        "system",
        "root",
        "other",
    ]


def test_password_reset(member):
    services.user_password_reset(user=member, password="a-new-long-passphrase-7")
    member.refresh_from_db()
    assert member.check_password("a-new-long-passphrase-7")
    assert not member.check_password(PASSWORD)
    [entry] = AuditEntry.objects.filter(action="user.password_reset")
    assert (entry.actor_id, entry.object_id, entry.before, entry.after) == (member.pk, str(member.pk), None, None)
    assert "a-new-long-passphrase-7" not in str(AuditEntry.objects.filter(pk=entry.pk).values().get())
