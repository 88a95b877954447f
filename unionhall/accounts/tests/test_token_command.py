"""`unionhall token USERNAME [--renew]`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from conftest import make_user
from unionhall.audit.models import AuditEntry


def run(*args: str) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue().strip()


def works(key: str) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/v1/units/").status_code == 200


@pytest.fixture
def officer(db):
    return make_user("officer")


def test_creates_a_token_once_and_then_prints_it(officer):
    key = run("officer")
    assert Token.objects.get(user=officer).key == key
    assert AuditEntry.objects.filter(action="user.token_renew", object_id=str(officer.pk)).count() == 1
    assert run("officer") == key  # the same token; nothing new issued
    assert AuditEntry.objects.filter(action="user.token_renew").count() == 1
    assert works(key)


def test_renew_replaces_the_token(officer):
    old = run("officer")
    new = run("officer", "--renew")
    assert new != old
    assert len(new) == 40
    assert Token.objects.filter(user=officer).count() == 1
    assert works(new)
    assert not works(old)
    assert AuditEntry.objects.filter(action="user.token_renew").count() == 2


def test_unknown_user(db):
    with pytest.raises(CommandError, match="nobody"):
        run("nobody")
    assert not Token.objects.exists()


def test_deactivated_user(officer):
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    with pytest.raises(CommandError):
        run("officer")
    assert not Token.objects.exists()
