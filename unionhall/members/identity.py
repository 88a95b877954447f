"""National ID rules: shapes of CCCD, CMND and passport numbers, the CCCD structure, masking.

Pure functions: a check returns the reasons it found (empty when the number is acceptable), in
words a user can act on, and never repeats the number itself (it must not reach logs or pages).
CCCD structure (Decree 137/2015 Art. 13; Circular 07/2016/TT-BCA and successors): 3 digits of the
province of birth registration, 1 digit of century and gender, 2 digits of the birth year, 6
random digits.
"""

import datetime as dt
import functools
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import Gender, IdKind

LENGTHS = {IdKind.CCCD: 12, IdKind.CMND: 9}
PASSPORT_LENGTH = (6, 12)
HINT_LENGTH = 3


@dataclass(frozen=True)
class ProvinceCode:
    """A province code of the CCCD as issued from `valid_from` (the codes of the 63 provinces)."""

    code: str
    name: str
    valid_from: dt.date
    valid_to: dt.date | None = None


_ISSUED_FROM = dt.date(2016, 1, 1)
# The 63 provincial codes the CCCD carries (Circular 07/2016/TT-BCA, Annex; to be re-checked
# against the current circular). IDs issued before the 2025 merger keep them for life.
CCCD_PROVINCES: tuple[ProvinceCode, ...] = tuple(
    ProvinceCode(code, name, _ISSUED_FROM)
    for code, name in (
        ("001", "Hà Nội"),
        ("002", "Hà Giang"),
        ("004", "Cao Bằng"),
        ("006", "Bắc Kạn"),
        ("008", "Tuyên Quang"),
        ("010", "Lào Cai"),
        ("011", "Điện Biên"),
        ("012", "Lai Châu"),
        ("014", "Sơn La"),
        ("015", "Yên Bái"),
        ("017", "Hòa Bình"),
        ("019", "Thái Nguyên"),
        ("020", "Lạng Sơn"),
        ("022", "Quảng Ninh"),
        ("024", "Bắc Giang"),
        ("025", "Phú Thọ"),
        ("026", "Vĩnh Phúc"),
        ("027", "Bắc Ninh"),
        ("030", "Hải Dương"),
        ("031", "Hải Phòng"),
        ("033", "Hưng Yên"),
        ("034", "Thái Bình"),
        ("035", "Hà Nam"),
        ("036", "Nam Định"),
        ("037", "Ninh Bình"),
        ("038", "Thanh Hóa"),
        ("040", "Nghệ An"),
        ("042", "Hà Tĩnh"),
        ("044", "Quảng Bình"),
        ("045", "Quảng Trị"),
        ("046", "Thừa Thiên Huế"),
        ("048", "Đà Nẵng"),
        ("049", "Quảng Nam"),
        ("051", "Quảng Ngãi"),
        ("052", "Bình Định"),
        ("054", "Phú Yên"),
        ("056", "Khánh Hòa"),
        ("058", "Ninh Thuận"),
        ("060", "Bình Thuận"),
        ("062", "Kon Tum"),
        ("064", "Gia Lai"),
        ("066", "Đắk Lắk"),
        ("067", "Đắk Nông"),
        ("068", "Lâm Đồng"),
        ("070", "Bình Phước"),
        ("072", "Tây Ninh"),
        ("074", "Bình Dương"),
        ("075", "Đồng Nai"),
        ("077", "Bà Rịa - Vũng Tàu"),
        ("079", "Hồ Chí Minh"),
        ("080", "Long An"),
        ("082", "Tiền Giang"),
        ("083", "Bến Tre"),
        ("084", "Trà Vinh"),
        ("086", "Vĩnh Long"),
        ("087", "Đồng Tháp"),
        ("089", "An Giang"),
        ("091", "Kiên Giang"),
        ("092", "Cần Thơ"),
        ("093", "Hậu Giang"),
        ("094", "Sóc Trăng"),
        ("095", "Bạc Liêu"),
        ("096", "Cà Mau"),
    )
)


@functools.lru_cache(maxsize=64)
def province_codes(on: dt.date | None = None) -> frozenset[str]:
    """The province codes valid on `on` (all ever issued when `on` is None)."""
    return frozenset(
        p.code for p in CCCD_PROVINCES if on is None or (p.valid_from <= on and (p.valid_to is None or on < p.valid_to))
    )


_SEPARATORS = str.maketrans("", "", " .-\t")


def normalise(kind: str, raw: str) -> str:
    """The number as stored: no spaces, dots or dashes; passport letters in capitals."""
    value = raw.translate(_SEPARATORS)
    return value.upper() if kind == IdKind.PASSPORT else value


def century_gender_digit(year: int, gender: str) -> int:
    """The 4th CCCD digit: 0/1 for men/women born 1900-1999, 2/3 for 2000-2099, and so on."""
    return 2 * (year // 100 - 19) + (1 if gender == Gender.FEMALE else 0)


def cccd_problems(number: str, *, gender: str = "", date_of_birth: dt.date | None = None) -> list[Promise | str]:
    """Why a CCCD number is not acceptable for this person; empty when it is."""
    if len(number) != 12 or not (number.isascii() and number.isdigit()):
        return [_("A citizen identity number (CCCD) has exactly 12 digits.")]
    problems: list[Promise | str] = []
    if number[:3] not in province_codes():
        problems.append(_("The first three digits of the CCCD are not a province code."))
    digit = int(number[3])
    if date_of_birth is None:
        problems.append(_("The date of birth is needed to check the CCCD."))
        return problems
    century = 19 + digit // 2
    if century != date_of_birth.year // 100:
        problems.append(_("The 4th digit of the CCCD does not match the century of the date of birth."))
    elif gender in (Gender.MALE, Gender.FEMALE) and digit != century_gender_digit(date_of_birth.year, gender):
        problems.append(_("The 4th digit of the CCCD does not match the gender."))
    if number[4:6] != f"{date_of_birth.year % 100:02d}":
        problems.append(_("The 5th and 6th digits of the CCCD do not match the year of birth."))
    return problems


def id_problems(
    kind: str, number: str, *, gender: str = "", date_of_birth: dt.date | None = None, nationality: str = ""
) -> list[Promise | str]:
    """Why an identity document number (already normalised) is not acceptable; empty when it is."""
    if kind == IdKind.CCCD:
        return cccd_problems(number, gender=gender, date_of_birth=date_of_birth)
    if kind == IdKind.CMND:
        if len(number) != 9 or not (number.isascii() and number.isdigit()):
            return [_("A legacy identity number (CMND) has exactly 9 digits.")]
        return []
    if kind == IdKind.PASSPORT:
        problems: list[Promise | str] = []
        low, high = PASSPORT_LENGTH
        if not (low <= len(number) <= high and number.isascii() and number.isalnum()):
            problems.append(_("A passport number has 6 to 12 letters and digits."))
        if not (len(nationality) == 2 and nationality.isascii() and nationality.isalpha()):
            problems.append(_("Give the nationality of the passport as a two-letter country code."))
        return problems
    return [_("Choose the kind of identity document.")]


def blind_index_input(kind: str, number: str, nationality: str = "") -> str:
    """What the blind index is computed over: the kind, for passports the country, and the number."""
    if kind == IdKind.PASSPORT:
        return f"passport:{nationality.upper()}:{number}"
    return f"{kind}:{number}"


def hint(number: str) -> str:
    return number[-HINT_LENGTH:]


def masked(kind: str, hint_: str) -> str:
    """`*********123`: the last three characters, the rest starred (for a passport, six stars)."""
    if not hint_:
        return ""
    stars = LENGTHS.get(kind, 9) - len(hint_)  # type: ignore[call-overload]
    return "*" * stars + hint_
