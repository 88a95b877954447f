"""The checks on a unit that services of the apps above share: found in scope, still active."""

from django.utils.translation import gettext_lazy as _

from unionhall.core.errors import DomainError, NotFound

from .models import Unit


def unit_not_found(unit: Unit | str, field: str = "unit") -> NotFound:
    """ "Unit X was not found": what an actor is told of a unit outside their scope, as of one that does not exist."""
    code = unit if isinstance(unit, str) else unit.code
    return NotFound(_("Unit %(code)s was not found.") % {"code": code}, field=field)


def require_active_unit(unit: Unit, field: str = "unit") -> None:
    if not unit.is_active:
        raise DomainError(
            _("Unit %(code)s is no longer active (%(status)s).")
            % {"code": unit.code, "status": unit.get_status_display()},
            code="inactive_unit",
            field=field,
        )
