"""The printable union card: a PDF the size of a bank card, with a QR code of the member code.

Rendered by WeasyPrint from `templates/members/card.html`. The fonts are embedded from local files
only (Noto from the Debian package fonts-noto-core, Vazirmatn from `static/vendor/`): the URL fetcher
serves files under those folders and refuses everything else, so a render never reaches the network.
"""

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from unionhall.accounts.choices import Calendar
from unionhall.audit.recorder import Change, record_many
from unionhall.core.errors import DomainError, NotFound
from unionhall.core.formatting import Preferences, format_date
from unionhall.core.scoping import scope_for
from unionhall.orgunits import paths
from unionhall.orgunits.models import Unit

from .choices import CardStatus
from .models import UnionCard
from .services import VIEW, home_membership

NOTO_DIR = Path("/usr/share/fonts/truetype/noto")
# (family, weight, file): Noto from the system, Vazirmatn from the vendored static files.
NOTO_FONTS = (
    ("Noto Sans", 400, "NotoSans-Regular.ttf"),
    ("Noto Sans", 700, "NotoSans-Bold.ttf"),
    ("Noto Sans Arabic", 400, "NotoSansArabic-Regular.ttf"),
    ("Noto Sans Arabic", 700, "NotoSansArabic-Bold.ttf"),
)
STATIC_FONTS = (
    ("Vazirmatn", 400, "vendor/vazirmatn/Vazirmatn-Regular.woff2"),
    ("Vazirmatn", 700, "vendor/vazirmatn/Vazirmatn-Bold.woff2"),
)


def _font_roots() -> list[Path]:
    roots = [NOTO_DIR, *(Path(d) for d in settings.STATICFILES_DIRS)]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    return [r.resolve() for r in roots]


def font_faces() -> list[tuple[str, int, str]]:
    """The fonts the card declares, as (family, weight, file URL); a font whose file is missing is left out."""
    faces = []
    for family, weight, name in NOTO_FONTS:
        path = NOTO_DIR / name
        if path.is_file():
            faces.append((family, weight, path.as_uri()))
    for family, weight, name in STATIC_FONTS:
        found = finders.find(name)
        if isinstance(found, str):
            faces.append((family, weight, Path(found).resolve().as_uri()))
    return faces


def local_fetcher() -> Any:
    """A WeasyPrint URL fetcher that reads files under the font folders and refuses any other URL."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFiles(URLFetcher):
        def __init__(self, roots: list[Path]) -> None:
            super().__init__(allowed_protocols=("file",))
            self.roots = roots

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                raise ValueError(f"Only local files are fetched, not {parts.scheme or 'this'} URLs")
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots) or not path.is_file():
                raise ValueError("Only the card's font files are fetched")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})

    return LocalFiles(_font_roots())


def qr_svg(text: str) -> str:
    """The QR code of `text` as inline SVG (size set by the page's CSS)."""
    import segno

    return segno.make_qr(text, error="m").svg_inline(border=0, omitsize=True, dark="#000")


def _preferences(actor: Any, language: str) -> Preferences:
    latin = bool(getattr(actor, "latin_digits", False))
    jalali = language == "fa" and getattr(actor, "calendar", "") == Calendar.JALALI
    return Preferences(language=language, latin_digits=latin, jalali=jalali)


def _root_of(unit: Unit) -> Unit:
    ids = paths.ancestor_ids(unit.path, include_self=True)
    return Unit.objects.get(pk=ids[0]) if ids and ids[0] != unit.pk else unit


def card_pdf(*, actor: Any, card: UnionCard, language: str | None = None) -> bytes:
    """The card as a PDF, for those who see its holder in their home unit; every print is logged."""
    from weasyprint import HTML

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
    language = language or getattr(actor, "language", "") or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("Choose one of the languages offered."), field="language")
    person, unit = card.person, home.unit
    with translation.override(language):
        prefs = _preferences(actor, language)
        html = render_to_string(
            "members/card.html",
            {
                "language": language,
                "direction": "rtl" if translation.get_language_bidi() else "ltr",
                "font_faces": font_faces(),
                "union_name": _root_of(unit).name,
                "unit_name": unit.name,
                "full_name": person.full_name,
                "member_code": person.member_code,
                "card_number": card.card_number,
                "issue_date": format_date(card.issue_date, prefs),
                "qr": mark_safe(qr_svg(person.member_code)),  # noqa: S308 - segno's SVG of a checked member code
            },
        )
        pdf = HTML(string=html, url_fetcher=local_fetcher()).write_pdf()
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
