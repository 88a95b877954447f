"""The one place that turns numbers, money and dates into text for the reader.

Native digits follow the language (Persian digits for fa, Arabic-Indic for ar) unless the reader
chose Latin digits; fa readers may choose the Jalali calendar. Babel never converts digits itself.
"""

import datetime as dt
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal

import jdatetime
from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.numbers import format_currency, format_decimal
from django.utils import translation

DIGITS = {
    "fa": str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"),
    "ar": str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"),
}
BABEL_LOCALES = {"vi": "vi", "en": "en", "ar": "ar_EG", "fa": "fa_IR"}
JALALI_MONTHS = [
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
]


@dataclass(frozen=True)
class Preferences:
    """How one reader wants numbers and dates shown."""

    language: str = "vi"
    latin_digits: bool = False
    jalali: bool = False


_current: ContextVar[Preferences | None] = ContextVar("unionhall_format_preferences", default=None)


def use_preferences(preferences: Preferences) -> None:
    """Set the reader's preferences for the current request or task."""
    _current.set(preferences)


def current_preferences() -> Preferences:
    prefs = _current.get()
    language = (translation.get_language() or "vi").split("-")[0]
    if prefs is None or prefs.language != language:
        base = prefs or Preferences()
        return Preferences(language=language, latin_digits=base.latin_digits, jalali=base.jalali)
    return prefs


def localize_digits(text: str, prefs: Preferences | None = None) -> str:
    prefs = prefs or current_preferences()
    if prefs.latin_digits or prefs.language not in DIGITS:
        return text
    return text.translate(DIGITS[prefs.language])


def _locale(prefs: Preferences) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(prefs.language, "vi"))


def _numbering(prefs: Preferences) -> str:
    """Latin digits take Latin separators too ("1,234.5", not "1٬234٫5")."""
    return "latn" if prefs.latin_digits else "default"


def format_number(value: int | float | Decimal, prefs: Preferences | None = None, *, grouping: bool = True) -> str:
    prefs = prefs or current_preferences()
    text = format_decimal(value, locale=_locale(prefs), group_separator=grouping, numbering_system=_numbering(prefs))
    return localize_digits(text, prefs)


def format_money(value: int | Decimal, prefs: Preferences | None = None) -> str:
    """An amount in VND, which has no minor unit."""
    prefs = prefs or current_preferences()
    text = format_currency(value, "VND", locale=_locale(prefs), numbering_system=_numbering(prefs))
    return localize_digits(text, prefs)


def format_date(value: dt.date | None, prefs: Preferences | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    prefs = prefs or current_preferences()
    if prefs.language == "fa" and prefs.jalali:
        jalali = jdatetime.date.fromgregorian(date=value)
        text = f"{jalali.day} {JALALI_MONTHS[jalali.month - 1]} {jalali.year}"
    elif prefs.language == "vi":
        text = value.strftime("%d/%m/%Y")
    else:
        text = babel_format_date(value, format="medium", locale=_locale(prefs))
    return localize_digits(text, prefs)


def format_datetime(value: dt.datetime | None, prefs: Preferences | None = None) -> str:
    if value is None:
        return ""
    from django.utils import timezone

    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format_date(local.date(), prefs)} {localize_digits(local.strftime('%H:%M'), prefs)}"
