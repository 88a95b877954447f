"""Writes on users: preferences and API tokens."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token

from unionhall.audit.recorder import record
from unionhall.core.errors import DomainError, NotFound

from .models import User

PREFERENCE_FIELDS = ("language", "latin_digits", "calendar")


@transaction.atomic
def user_preferences_update(*, actor: User, language: str, latin_digits: bool, calendar: str) -> User:
    before = {f: getattr(actor, f) for f in PREFERENCE_FIELDS}
    actor.language, actor.latin_digits, actor.calendar = language, latin_digits, calendar
    try:
        actor.full_clean(validate_unique=False, exclude=["password", "username", "email"])
    except ValidationError as error:
        # Services refuse with domain errors, which the views and the API map in one place.
        for name, value in before.items():
            setattr(actor, name, value)
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], field=field) from None
    actor.save(update_fields=list(PREFERENCE_FIELDS))
    record(
        actor=actor,
        action="user.preferences",
        obj=actor,
        before=before,
        after={f: getattr(actor, f) for f in PREFERENCE_FIELDS},
    )
    return actor


@transaction.atomic
def user_token_renew(*, actor: User, user: User) -> str:
    """Replace the user's API token; the old one stops working at once.

    Users renew their own token; administrators, and the operator's command (no actor), anyone's.
    """
    if actor is not None and actor.pk != user.pk and not actor.is_superuser:
        raise NotFound(_("No active user has this user name."), field="user")
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    record(actor=actor, action="user.token_renew", obj=user)
    return token.key


@transaction.atomic
def user_password_reset(*, user: User, password: str) -> User:
    """The user chose a new password through an emailed link."""
    user.set_password(password)
    user.save(update_fields=["password"])
    record(actor=user, action="user.password_reset", obj=user)
    return user


def user_signed_in(*, user: User) -> None:
    """Record a sign-in (Django has already stamped last_login)."""
    record(actor=user, action="user.sign_in", obj=user)
