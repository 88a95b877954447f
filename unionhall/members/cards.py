"""The printable union card: a PDF the size of a bank card, with a QR code of the member code.

Rendered offline by `core.pdf` from `templates/members/card.html`.
"""

from typing import Any

from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from unionhall.audit.recorder import Change, record_many
from unionhall.core.errors import DomainError, NotFound
from unionhall.core.formatting import format_date
from unionhall.core.pdf import pdf_language, preferences, qr_svg, render_pdf
from unionhall.core.scoping import scope_for
from unionhall.orgunits import paths
from unionhall.orgunits.models import Unit

from .choices import CardStatus
from .models import UnionCard
from .services import VIEW, home_membership


def _root_of(unit: Unit) -> Unit:
    ids = paths.ancestor_ids(unit.path, include_self=True)
    return Unit.objects.get(pk=ids[0]) if ids and ids[0] != unit.pk else unit


def card_pdf(*, actor: Any, card: UnionCard, language: str | None = None) -> bytes:
    """The card as a PDF, for those who see its holder in their home unit; every print is logged."""
    found = UnionCard.objects.visible_to(actor, VIEW).select_related("person").filter(pk=card.pk).first()
    home = home_membership(found.person) if found is not None else None
    if found is None or home is None or not scope_for(actor, VIEW).covers(path=home.unit.path, unit_id=home.unit.pk):
        raise NotFound(_("Card %(number)s was not found.") % {"number": card.card_number}, field="card")
    card = found
    if card.status != CardStatus.ACTIVE:
        raise DomainError(
            _("Only an active card can be printed; this one is %(status)s.") % {"status": card.get_status_display()},
            code="card_not_active",
        )
    language = pdf_language(actor, language)
    person, unit = card.person, home.unit
    with translation.override(language):
        prefs = preferences(actor, language)
        context = {
            "union_name": _root_of(unit).name,
            "unit_name": unit.name,
            "full_name": person.full_name,
            "member_code": person.member_code,
            "card_number": card.card_number,
            "issue_date": format_date(card.issue_date, prefs),
            "qr": mark_safe(qr_svg(person.member_code)),  # noqa: S308 - segno's SVG of a checked member code
        }
    pdf = render_pdf("members/card.html", context, language=language)
    record_many(
        actor=actor,
        action="card.printed",
        changes=[
            Change(
                obj=card,
                after={"member_code": person.member_code, "card_number": card.card_number, "language": language},
                unit_id=unit.pk,
                unit_path=unit.path,
            )
        ],
    )
    return pdf
