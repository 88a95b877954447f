"""Authors' contribution shares: read from text ("member code: share; ...") and checked to sum to 100 %."""

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from unionhall.core.errors import DomainError
from unionhall.core.text import clean_text
from unionhall.members.codes import member_code_normalise

HUNDRED = Decimal("100.00")
MAX_AUTHORS = 50
_SEPARATORS = re.compile(r"[;\n]+")
_DIGITS = str.maketrans(
    {**{chr(0x0660 + i): str(i) for i in range(10)}, **{chr(0x06F0 + i): str(i) for i in range(10)}, "٫": "."}
)


def share_clean(value: object, *, field: str = "authors") -> Decimal:
    """A share in percent: more than 0, at most 100, at most two decimals."""
    try:
        share = Decimal(str(value).strip().rstrip("%").strip().replace(",", ".").translate(_DIGITS))
    except (InvalidOperation, ValueError):
        raise DomainError(
            _("A share is a percentage such as 40 or 33.33; %(value)s is not one.") % {"value": str(value)[:20]},
            field=field,
        ) from None
    if not share.is_finite() or share <= 0 or share > 100:
        raise DomainError(_("Each share must be more than 0 and at most 100 %."), field=field, code="share_range")
    if share != share.quantize(Decimal("0.01")):
        raise DomainError(_("A share has at most two decimals."), field=field)
    return share.quantize(Decimal("0.01"))


def authors_parse(text: str, *, field: str = "authors") -> list[tuple[str, Decimal]]:
    """ "0012345678X: 60; 0012345679Y: 40" (or one per line) as (member code, share) pairs, in order."""
    text = clean_text(text or "", field=field)
    pairs: list[tuple[str, Decimal]] = []
    for part in _SEPARATORS.split(text):
        part = part.strip()
        if not part:
            continue
        code, colon, share = part.rpartition(":")
        if not colon or not code.strip():
            raise DomainError(
                _("Write each author as member code: share, e.g. 0012345678X: 60; %(part)s is not.")
                % {"part": part[:40]},
                field=field,
            )
        pairs.append((member_code_normalise(code), share_clean(share, field=field)))
    if not pairs:
        raise DomainError(_("Name at least one author."), field=field, code="no_authors")
    if len(pairs) > MAX_AUTHORS:
        raise DomainError(_("At most %(max)s authors.") % {"max": MAX_AUTHORS}, field=field)
    return pairs


def shares_check(shares: Sequence[Decimal], *, field: str = "authors") -> None:
    """The shares of one initiative's authors sum to exactly 100 %."""
    if not shares:
        raise DomainError(_("Name at least one author."), field=field, code="no_authors")
    total = sum(shares, Decimal(0))
    if total != HUNDRED:
        raise DomainError(
            _("The authors' shares add up to %(total)s %%; they must add up to exactly 100 %%.")
            % {"total": format(total.normalize(), "f")},
            field=field,
            code="shares_not_100",
        )


def authors_format(pairs: Sequence[tuple[str, Decimal]]) -> str:
    """The reverse of `authors_parse`, for forms and exports."""
    return "; ".join(f"{code}: {format(share.normalize(), 'f')}" for code, share in pairs)
