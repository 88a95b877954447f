"""PDF documents (cards, certificates, reports) rendered by WeasyPrint from a template, offline.

The fonts are embedded from local files only (Noto from the Debian package fonts-noto-core,
Vazirmatn from `static/vendor/`): the URL fetcher serves files under those folders and images the
document carries itself (`data:` URLs of SVG or PNG) and refuses everything else, so a render never
reaches the network. Dates and numbers follow the reader's
preferences (native digits, the Jalali calendar for Persian).
"""

import base64
import binascii
import functools
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .formatting import Preferences

NOTO_DIR = Path("/usr/share/fonts/truetype/noto")
# (family, weight, file): Noto from the system, Vazirmatn from the vendored static files.
NOTO_FONTS = (
    ("Noto Sans", 400, "NotoSans-Regular.ttf"),
    ("Noto Sans", 700, "NotoSans-Bold.ttf"),
    ("Noto Sans Arabic", 400, "NotoSansArabic-Regular.ttf"),
    ("Noto Sans Arabic", 700, "NotoSansArabic-Bold.ttf"),
)
# TrueType, not the web pages' WOFF2: WeasyPrint would decompress a WOFF2 file at every render (0.6 s).
STATIC_FONTS = (
    ("Vazirmatn", 400, "vendor/vazirmatn/Vazirmatn-Regular.ttf"),
    ("Vazirmatn", 700, "vendor/vazirmatn/Vazirmatn-Bold.ttf"),
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


# The images a document may carry in itself (charts); a data: URL of any other type is refused.
DATA_IMAGE_TYPES = frozenset({"image/svg+xml", "image/png"})


def data_image_url(data: bytes, content_type: str) -> str:
    """`data` as a `data:` URL that `local_fetcher` serves (an image drawn for the document, never fetched)."""
    if content_type not in DATA_IMAGE_TYPES:
        raise ValueError(f"Not an image type a document carries: {content_type}")
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def _data_image(url: str) -> tuple[str, bytes]:
    """The type and bytes of a base64 `data:` URL of an allowed image type; ValueError otherwise."""
    header, _sep, payload = url[len("data:") :].partition(",")
    content_type, _sep, encoding = header.partition(";")
    if content_type not in DATA_IMAGE_TYPES or encoding != "base64":
        raise ValueError("Only the document's own images are read from data URLs")
    try:
        return content_type, base64.b64decode(payload, validate=True)
    except binascii.Error as error:
        raise ValueError("A data URL that is not base64") from error


def local_fetcher() -> Any:
    """A WeasyPrint URL fetcher that reads files under the font folders and the document's own images
    (`data_image_url`), and refuses any other URL."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFiles(URLFetcher):
        def __init__(self, roots: list[Path]) -> None:
            super().__init__(allowed_protocols=("file",))
            self.roots = roots

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url.startswith("data:"):
                content_type, body = _data_image(url)
                return URLFetcherResponse(url, body, {"Content-Type": content_type})
            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                raise ValueError(f"Only local files are fetched, not {parts.scheme or 'this'} URLs")
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots) or not path.is_file():
                raise ValueError("Only the document's font files are fetched")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})

    return LocalFiles(_font_roots())


def qr_svg(text: str) -> str:
    """The QR code of `text` as inline SVG (size set by the page's CSS)."""
    import segno

    return segno.make_qr(text, error="m").svg_inline(border=0, omitsize=True, dark="#000")


def preferences(actor: Any, language: str) -> Preferences:
    latin = bool(getattr(actor, "latin_digits", False))
    jalali = language == "fa" and getattr(actor, "calendar", "") == "jalali"  # accounts.choices.Calendar.JALALI
    return Preferences(language=language, latin_digits=latin, jalali=jalali)


def pdf_language(actor: Any, language: str | None) -> str:
    """The language asked for, else the actor's, else the default; one of the offered languages."""
    language = language or getattr(actor, "language", "") or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("Choose one of the languages offered."), field="language")
    return language


@functools.cache
def _html_with_defaults(user_agent: str) -> Any:
    """WeasyPrint's HTML document, written as XHTML, with the browser defaults of template `user_agent`.

    Such a document is parsed as XML (expat: about 2 ms for a province report, where WeasyPrint's HTML5
    parser, in pure Python, takes 0.25–0.35 s). WeasyPrint offers no public option for either: its
    `__init__` and `_ua_stylesheets` are overridden (the version is pinned in the lock file, and
    `test_exports` fails if the hooks go away). The stylesheet is parsed once.
    """
    import cssselect2
    from weasyprint import CSS, HTML

    defaults = CSS(string=render_to_string(user_agent))

    class DocumentWithDefaults(HTML):
        def __init__(self, *, string: str, url_fetcher: Any = None) -> None:
            # What HTML.__init__ sets, from an XML tree: a document rendered here has no <base> to resolve.
            self.base_url = None
            self.url_fetcher = url_fetcher or local_fetcher()
            self.media_type = "print"
            self.wrapper_element = cssselect2.ElementWrapper.from_html_root(
                ElementTree.fromstring(string),  # noqa: S314 - the template's output, every value autoescaped
                content_language=None,
            )
            self.etree_element = self.wrapper_element.etree_element

        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [defaults]

    return DocumentWithDefaults


def render_pdf(template: str, context: dict[str, Any], *, language: str, user_agent: str = "") -> bytes:
    """`template` rendered in `language` (with `language`, `direction` and `font_faces` in its context).

    `user_agent`: a template of the few browser defaults a large document needs, in place of WeasyPrint's;
    such a template is XHTML (void elements closed, `&` escaped), parsed as XML.
    """
    from weasyprint import HTML

    document = _html_with_defaults(user_agent) if user_agent else HTML
    with translation.override(language):
        html = render_to_string(
            template,
            {
                **context,
                "language": language,
                "direction": "rtl" if translation.get_language_bidi() else "ltr",
                "font_faces": font_faces(),
            },
        )
        return document(string=html, url_fetcher=local_fetcher()).write_pdf()
