"""Text canonicalisation and search folding shared by every write and search path."""

import functools
import re
import unicodedata

from django.utils.translation import gettext_lazy as _

from .errors import DomainError

_ARABIC_FOLD = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ئ": "ی",
        "ك": "ک",
        "ة": "ه",
        "ۀ": "ه",
        "ە": "ه",  # what NFKD leaves of ۀ once its hamza is stripped
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ـ": None,  # tatweel
        "\u200c": " ",  # ZWNJ
        "\u200d": None,
        "đ": "d",
        "Đ": "d",
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
    }
)


_FORBIDDEN = re.compile("[\x00\ud800-\udfff]")


def has_forbidden_characters(value: str) -> bool:
    """NUL and lone surrogates cannot be stored on PostgreSQL and are never meaningful."""
    return _FORBIDDEN.search(value) is not None


def clean_text(value: str, *, field: str | None = None) -> str:
    """Return `value` stripped and NFC-normalised; refuse NUL bytes and lone surrogates."""
    if has_forbidden_characters(value):
        raise DomainError(_("The text contains characters that are not allowed."), code="bad_characters", field=field)
    return unicodedata.normalize("NFC", value.strip())


def fold(value: str) -> str:
    """Fold text for search: no case, no Vietnamese diacritics, one form of Arabic/Persian letters."""
    if value.isascii():
        return " ".join(value.casefold().split())
    # ASCII words (codes, phone numbers) only need their case folded, and would crowd names out of the cache.
    words = (word.casefold() if word.isascii() else _fold_word(word) for word in value.split())
    return " ".join(" ".join(words).split())


@functools.lru_cache(maxsize=65_536)
def _fold_word(word: str) -> str:
    # Names repeat: a roster of a million rows folds a few thousand distinct words.
    value = word.translate(_ARABIC_FOLD)
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold().translate(_ARABIC_FOLD)
