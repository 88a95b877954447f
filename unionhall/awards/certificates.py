"""The award certificate: an A4 landscape PDF in the reader's language, rendered offline by `core.pdf`.

Texts come from `templates/awards/certificate.html`; the award's name is the catalogue's name in
that language (Vietnamese when not translated). Every print is logged.
"""

from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from unionhall.audit.recorder import Change, record_many
from unionhall.core.errors import DomainError, NotFound
from unionhall.core.formatting import format_date, format_money, format_number
from unionhall.core.pdf import pdf_language, preferences, render_pdf

from .models import Award
from .services import VIEW


def certificate_pdf(*, actor: Any, award: Award, language: str | None = None) -> bytes:
    """The certificate of one award the actor sees; a revoked award has none."""
    found = (
        Award.objects.visible_to(actor, VIEW)
        .select_related("decision__granting_unit", "award_type", "person", "unit", "awardee_unit")
        .filter(pk=award.pk)
        .first()
    )
    if found is None:
        raise NotFound(_("Award %(id)s was not found.") % {"id": award.pk})
    award = found
    if award.revoked_on is not None:
        raise DomainError(_("A revoked award has no certificate."), code="revoked")
    language = pdf_language(actor, language)
    decision = award.decision
    with translation.override(language):
        prefs = preferences(actor, language)
        context = {
            "award_name": award.award_type.name,
            "awardee": award.person.full_name if award.person else award.unit.name,  # type: ignore[union-attr]
            "member_code": award.person.member_code if award.person else "",
            "unit_name": award.awardee_unit.name,
            "year": format_number(award.year, prefs, grouping=False),
            "granting_unit": decision.granting_unit.name,
            "number": decision.number,
            "signed_on": format_date(decision.signed_on, prefs),
            "signer": decision.signer,
            "bonus": format_money(award.bonus_vnd, prefs) if award.bonus_vnd else "",
        }
    pdf = render_pdf("awards/certificate.html", context, language=language)
    record_many(
        actor=actor,
        action="award.certificate",
        changes=[
            Change(
                obj=award,
                after={"decision": decision.number, "year": award.year, "language": language},
                unit_id=award.awardee_unit_id,
                unit_path=award.awardee_unit.path,
            )
        ],
    )
    return pdf
