"""The initiatives' part of "nothing changed": every row the services write, and the audit log."""

from unionhall.audit.models import AuditEntry
from unionhall.initiatives.models import (
    Initiative,
    InitiativeAttachment,
    InitiativeAuthor,
    InitiativeBenefit,
    InitiativeTransfer,
    RemunerationPayment,
)


def initiatives_state() -> dict:
    return {
        "initiatives": list(
            Initiative.objects.order_by("pk").values_list(
                "unit_id",
                "title",
                "field",
                "description",
                "movement_id",
                "first_applied_on",
                "requested_on",
                "estimated_benefit_vnd",
                "state_funded",
                "status",
                "examined_on",
                "amendment_requested_on",
                "amendment_note",
                "amended_on",
                "decided_on",
                "level",
                "recognised_on",
                "certificate_number",
                "decision_note",
                "version",
            )
        ),
        "authors": list(InitiativeAuthor.objects.order_by("pk").values_list("initiative_id", "person_id", "share")),
        "benefits": list(
            InitiativeBenefit.objects.order_by("pk").values_list("initiative_id", "year", "year_index", "amount_vnd")
        ),
        "transfers": list(
            InitiativeTransfer.objects.order_by("pk").values_list("initiative_id", "price_vnd", "received_on")
        ),
        "payments": list(
            RemunerationPayment.objects.order_by("pk").values_list(
                "author_id", "year_index", "transfer_id", "amount_vnd", "paid_on"
            )
        ),
        "attachments": list(InitiativeAttachment.objects.order_by("pk").values_list("initiative_id", "original_name")),
        "audit": AuditEntry.objects.count(),
    }
