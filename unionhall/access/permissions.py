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
    "movement.view": _("See emulation movements and their registrations"),
    "movement.change": _("Launch and run emulation movements, register pledges"),
    "initiative.view": _("See initiatives"),
    "initiative.change": _("Submit initiatives and record their benefit and remuneration"),
    "initiative.decide": _("Examine and recognise initiatives"),
    "initiative.import": _("Import initiatives from files"),
    "award.view": _("See commendations, nominations and decisions"),
    "award.nominate": _("Nominate people and units for commendation"),
    "award.decide": _("Record commendation decisions and revocations"),
    "award.import": _("Import awards from files"),
}
