"""The recognition certificate (Giấy chứng nhận sáng kiến): an A4 landscape PDF in the reader's language.

Rendered offline by `core.pdf` from `templates/initiatives/certificate.html`; every print is logged.
"""

from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from unionhall.audit.recorder import Change, record_many
from unionhall.core.errors import DomainError
from unionhall.core.formatting import format_date, format_number
from unionhall.core.pdf import pdf_language, preferences, render_pdf

from .choices import Status
from .models import Initiative, InitiativeAuthor
from .selectors import VIEW, initiative_get

# The official name of the document, shown under the translated title in the other languages.
OFFICIAL_TITLE = "GIẤY CHỨNG NHẬN SÁNG KIẾN"


def certificate_pdf(*, actor: Any, initiative: Initiative, language: str | None = None) -> bytes:
    """The certificate of a recognised initiative, for those who see it; every print is logged."""
    initiative = initiative_get(actor=actor, pk=initiative.pk, action=VIEW)
    if initiative.status != Status.RECOGNISED or initiative.recognised_on is None:
        raise DomainError(
            _("Only a recognised initiative has a certificate; this one is %(status)s.")
            % {"status": initiative.get_status_display()},
            code="not_recognised",
        )
    language = pdf_language(actor, language)
    authors = InitiativeAuthor.objects.filter(initiative=initiative).select_related("person").order_by("-share", "pk")
    unit = initiative.unit
    with translation.override(language):
        prefs = preferences(actor, language)
        context = {
            "unit_name": unit.name,
            "title": initiative.title,
            "field": initiative.get_field_display(),
            "level": initiative.get_level_display(),
            "certificate_number": initiative.certificate_number,
            "recognised_on": format_date(initiative.recognised_on, prefs),
            "first_applied_on": format_date(initiative.first_applied_on, prefs),
            "authors": [
                {"name": a.person.full_name, "code": a.person.member_code, "share": format_number(a.share, prefs)}
                for a in authors
            ],
            "official_title": OFFICIAL_TITLE if language != "vi" else "",
        }
    pdf = render_pdf("initiatives/certificate.html", context, language=language)
    record_many(
        actor=actor,
        action="initiative.certificate",
        changes=[
            Change(
                obj=initiative,
                after={"certificate_number": initiative.certificate_number, "language": language},
                unit_id=unit.pk,
                unit_path=unit.path,
            )
        ],
    )
    return pdf
