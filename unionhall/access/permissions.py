"""The catalogue of actions a role may allow; roles themselves are data."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "unit.view": _("See units and their details"),
    "unit.change": _("Rename units and edit their details"),
    "unit.lifecycle": _("Establish, transfer, merge, split and dissolve units"),
    "role.grant": _("Grant and revoke roles"),
    "audit.view": _("Read the change history"),
    "member.view": _("See members and their memberships"),
    "member.change": _("Register members and change their records"),
    "member.view_national_id": _("See national ID numbers unmasked (every view is logged)"),
    "member.view_sensitive": _("See and record ethnicity and religion"),
    "member.import": _("Import members from files"),
    "member.export": _("Export member lists"),
}
