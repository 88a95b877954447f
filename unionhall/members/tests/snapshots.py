"""The members' part of "nothing changed": every row the member services write, and the audit log."""

from unionhall.audit.models import AuditEntry
from unionhall.members.models import Membership, OfficerTerm, Person, UnionCard


def members_state() -> dict:
    return {
        "people": list(
            Person.objects.order_by("pk").values_list(
                "member_code",
                "full_name",
                "search_name",
                "gender",
                "date_of_birth",
                "id_kind",
                "national_id_encrypted",
                "national_id_index",
                "national_id_hint",
                "nationality",
                "ethnicity",
                "religion",
                "phone",
                "email",
                "employer_id",
                "job_title",
                "version",
            )
        ),
        "memberships": list(
            Membership.objects.order_by("pk").values_list(
                "person_id",
                "unit_id",
                "join_date",
                "status",
                "end_reason",
                "end_date",
                "suspended_on",
                "suspension_reason",
                "version",
            )
        ),
        "terms": list(
            OfficerTerm.objects.order_by("pk").values_list(
                "membership_id", "position", "full_time", "term_start", "term_end"
            )
        ),
        "cards": list(
            UnionCard.objects.order_by("pk").values_list(
                "person_id", "card_number", "card_type", "issue_date", "status"
            )
        ),
        "audit": AuditEntry.objects.count(),
    }
