"""The Decree 13/2012 figures are dated data: a rule edited in the admin changes the clocks from its date on."""

import datetime as dt

import pytest
from django.test import Client

from unionhall.audit.models import AuditEntry
from unionhall.core.errors import DomainError
from unionhall.initiatives import services
from unionhall.initiatives.models import InitiativeRule

from .stories import draft, people


@pytest.fixture
def stricter(db):
    """A (made-up) later rule: requests within 6 months of first application, from 1 January 2025."""
    InitiativeRule.objects.filter(valid_to__isnull=True).update(valid_to=dt.date(2025, 1, 1))
    return InitiativeRule.objects.create(
        valid_from=dt.date(2025, 1, 1), legal_basis="Test rule", verified="?", request_window_months=6
    )


def test_a_later_rule_governs_requests_made_under_it(cast, stricter):
    lan, binh = people(cast)
    initiative = draft(cast, [(lan, "50"), (binh, "50")], first_applied_on=dt.date(2024, 12, 1))
    with pytest.raises(DomainError) as caught:
        services.initiative_submit(actor=cast.admin, initiative=initiative, today=dt.date(2025, 6, 2))
    assert caught.value.code == "request_too_late"
    assert "within 6 months" in str(caught.value)
    submitted = services.initiative_submit(actor=cast.admin, initiative=initiative, today=dt.date(2025, 6, 1))
    assert services.rule_of(submitted) == stricter


def test_without_a_rule_in_force_nothing_can_be_requested(cast):
    lan, binh = people(cast)
    initiative = draft(cast, [(lan, "50"), (binh, "50")], first_applied_on=dt.date(2024, 12, 1))
    InitiativeRule.objects.update(valid_to=dt.date(2025, 1, 1))
    with pytest.raises(DomainError) as caught:
        services.initiative_submit(actor=cast.admin, initiative=initiative, today=dt.date(2025, 2, 1))
    assert caught.value.code == "no_rule"


def test_rules_are_edited_in_the_admin_and_audited(cast):
    client = Client()
    client.force_login(cast.admin)
    assert client.get("/admin/initiatives/initiativerule/").status_code == 200
    values = {
        "valid_from": "2020-01-01",
        "valid_to": "",
        "legal_basis": "Overlapping",
        "verified": "M",
        "request_window_months": 12,
        "examine_months": 1,
        "amend_months": 1,
        "decide_months": 3,
        "remuneration_percent": "7",
        "remuneration_years": 3,
        "transfer_percent": "15",
        "transfer_years": 3,
        "payment_months": 1,
    }
    response = client.post("/admin/initiatives/initiativerule/add/", values)
    assert response.status_code == 200
    assert "Another rule is in force during part of this period." in response.content.decode()
    assert InitiativeRule.objects.count() == 1
    rule = InitiativeRule.objects.get()
    response = client.post(
        f"/admin/initiatives/initiativerule/{rule.pk}/change/",
        {
            **values,
            "valid_from": "2012-04-25",
            "legal_basis": rule.legal_basis,
            "verified": "S",
            "remuneration_percent": "8",
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.remuneration_percent == 8
    entry = AuditEntry.objects.get(action="admin.change")
    assert (entry.before["remuneration_percent"], entry.after["remuneration_percent"]) == ("7.00", "8")
