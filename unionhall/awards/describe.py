"""Criteria of the catalogue (the JSON criteria language) described in words, in the active language."""

from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from unionhall.core.formatting import format_money, format_number

from .models import AwardType


@dataclass
class Line:
    """One criterion in words; combinators carry their parts."""

    text: str
    parts: list["Line"] = field(default_factory=list)


def _award_name(code: str, names: dict[str, str]) -> str:
    return names.get(code, code)


def _names(criteria: list[Any]) -> dict[str, str]:
    codes: set[str] = set()

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, dict):
                if isinstance(item.get("award"), str):
                    codes.add(item["award"])
                if isinstance(item.get("of"), list):
                    walk(item["of"])

    walk(criteria)
    return {t.code: t.name for t in AwardType.objects.filter(code__in=codes)}


def describe(criteria: Any) -> list[Line]:
    """Each criterion of a rule in words; an item the language does not know is shown as written."""
    if not isinstance(criteria, list):
        return [Line(str(criteria))]
    names = _names(criteria)
    return [_line(item, names) for item in criteria]


def _line(item: Any, names: dict[str, str]) -> Line:
    if not isinstance(item, dict):
        return Line(str(item))
    check = item.get("check")
    award = _award_name(str(item.get("award", "")), names)
    years = item.get("years", 1)
    if check in ("all", "any"):
        parts = [_line(part, names) for part in item.get("of", [])]
        return Line(_("All of:") if check == "all" else _("One of:"), parts)
    if check == "holds":
        return Line(_("Holds %(award)s for the same year") % {"award": award})
    if check == "consecutive":
        return Line(
            _("Holds %(award)s in each of the %(years)s years ending with the year") % {"award": award, "years": years}
        )
    if check == "initiatives":
        level = {"grassroots": _("grassroots"), "provincial": _("province or ministry"), "national": _("national")}.get(
            str(item.get("level")), str(item.get("level"))
        )
        return Line(
            _(
                "Author of at least %(count)s initiatives recognised at %(level)s level or above "
                "in the last %(years)s years"
            )
            % {"count": item.get("count", 1), "level": level, "years": years}
        )
    if check == "benefit":
        amount = format_money(int(item.get("amount_vnd", 0)))
        if item.get("single"):
            text = _("Benefit of at least %(amount)s from one initiative over %(years)s years")
        else:
            text = _("Benefit of at least %(amount)s in total over %(years)s years")
        return Line(text % {"amount": amount, "years": years})
    if check == "education":
        values = item.get("in") or item.get("not_in") or []
        listed = ", ".join(str(v) for v in values)
        if "in" in item:
            return Line(_("Education level one of: %(levels)s") % {"levels": listed})
        return Line(_("Education level none of: %(levels)s") % {"levels": listed})
    if check in ("officer", "not_officer"):
        listed = ", ".join(str(v) for v in item.get("positions", []))
        if check == "officer":
            return Line(_("Holds one of these union positions: %(positions)s") % {"positions": listed})
        return Line(_("Holds none of these union positions: %(positions)s") % {"positions": listed})
    if check == "membership_months":
        return Line(_("A member for at least %(months)s months by 31 December") % {"months": item.get("months")})
    if check == "registered":
        return Line(_("Registered a pledge in an emulation movement for the year"))
    if check == "once":
        return Line(_("Never received this award before"))
    if check == "share":
        percent = format_number(item.get("percent", 0))
        if item.get("strict"):
            text = _("More than %(percent)s%% of the unit's members hold %(award)s")
        else:
            text = _("At least %(percent)s%% of the unit's members hold %(award)s")
        return Line(text % {"percent": percent, "award": award})
    if check == "members_hold":
        return Line(
            _("At least %(count)s of the unit's members hold %(award)s") % {"count": item.get("count"), "award": award}
        )
    if check == "unit_holds":
        return Line(_("The nominee's unit holds %(award)s") % {"award": award})
    if check == "service_years":
        return Line(
            _("At least %(years)s years of union service (part-time years count × %(factor)s)")
            % {"years": years, "factor": format_number(item.get("part_time_factor", 1))}
        )
    if check == "manual":
        language = (translation.get_language() or "vi").split("-")[0]
        label = item.get(f"label_{language}") or item.get("label_en") or item.get("label_vi") or ""
        return Line(_("Confirmed by the reviewer: %(label)s") % {"label": label})
    return Line(str(item))


# The checks of the criteria language and the keys each one needs.
REQUIRED_KEYS: dict[str, tuple[str, ...]] = {
    "all": ("of",),
    "any": ("of",),
    "holds": ("award",),
    "consecutive": ("award", "years"),
    "initiatives": ("count", "level", "years"),
    "benefit": ("amount_vnd", "years"),
    "education": (),
    "officer": ("positions",),
    "not_officer": ("positions",),
    "membership_months": ("months",),
    "registered": (),
    "once": (),
    "share": ("award", "percent"),
    "members_hold": ("award", "count"),
    "unit_holds": ("award",),
    "service_years": ("years",),
    "manual": ("label_vi",),
}
LEVELS = ("grassroots", "provincial", "national")


def criteria_problems(criteria: Any) -> list[str]:
    """What is wrong with a rule's criteria (unknown checks, missing keys, unknown award codes); empty if none."""
    problems: list[str] = []
    if not isinstance(criteria, list):
        return [_("The criteria must be a list.")]
    codes = set(AwardType.objects.values_list("code", flat=True))

    def walk(items: list[Any], where: str) -> None:
        for index, item in enumerate(items, start=1):
            place = f"{where}{index}"
            if not isinstance(item, dict) or item.get("check") not in REQUIRED_KEYS:
                problems.append(_("Criterion %(place)s: unknown check.") % {"place": place})
                continue
            check = item["check"]
            missing = [key for key in REQUIRED_KEYS[check] if key not in item]
            if check == "education" and "in" not in item and "not_in" not in item:
                missing.append("in")
            if missing:
                problems.append(
                    _("Criterion %(place)s (%(check)s): missing %(keys)s.")
                    % {"place": place, "check": check, "keys": ", ".join(missing)}
                )
                continue
            if "award" in item and item["award"] not in codes:
                problems.append(
                    _("Criterion %(place)s: there is no award type %(code)s.") % {"place": place, "code": item["award"]}
                )
            if check == "initiatives" and item["level"] not in LEVELS:
                problems.append(
                    _("Criterion %(place)s: the level must be one of %(levels)s.")
                    % {"place": place, "levels": ", ".join(LEVELS)}
                )
            for key in ("years", "count", "months", "amount_vnd", "percent"):
                value = item.get(key)
                if key in item and (not isinstance(value, int | float) or isinstance(value, bool) or value < 0):
                    problems.append(
                        _("Criterion %(place)s: %(key)s must be a number, not negative.") % {"place": place, "key": key}
                    )
            if check in ("all", "any"):
                if isinstance(item["of"], list) and item["of"]:
                    walk(item["of"], f"{place}.")
                else:
                    problems.append(_("Criterion %(place)s: list its parts under “of”.") % {"place": place})

    walk(criteria, "")
    return problems
