"""The rule admin: validated (ranges in order, no overlapping rows in force) and audited."""

import datetime as dt

import pytest
from django.test import Client

from unionhall.audit.models import AuditEntry
from unionhall.democracy.models import CompositionBand, ObligationRule


@pytest.fixture
def admin_client_(cast):
    client = Client()
    client.force_login(cast.admin)
    return client


def band(**extra):
    values = {
        "valid_from": "2026-01-01",
        "valid_to": "",
        "legal_basis": "Nghị định mới",
        "certainty": "S",
        "headcount_from": "50",
        "headcount_to": "150",
        "employee_side_min": "5",
        "employee_side_max": "9",
        "employer_side_min": "3",
    }
    values.update(extra)
    return values


def test_a_band_overlapping_one_in_force_is_refused(admin_client_):
    before = (CompositionBand.objects.count(), AuditEntry.objects.count())
    response = admin_client_.post("/admin/democracy/compositionband/add/", band())
    assert response.status_code == 200
    assert "Another band for these headcounts is in force during part of this period." in response.content.decode()
    response = admin_client_.post(
        "/admin/democracy/compositionband/add/", band(employee_side_max="4", headcount_to="40", valid_to="2025-01-01")
    )
    html = response.content.decode()
    assert "The upper end must be above the lower end." in html
    assert "The most cannot be below the least." in html
    assert "The end of validity must be after its start." in html
    assert (CompositionBand.objects.count(), AuditEntry.objects.count()) == before


def test_a_new_band_after_closing_the_old_one_is_saved_and_audited(admin_client_):
    old = CompositionBand.objects.get(headcount_from=50)
    response = admin_client_.post(
        f"/admin/democracy/compositionband/{old.pk}/change/",
        band(valid_from="2021-02-01", valid_to="2026-01-01", employee_side_min="4", employee_side_max="8"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    response = admin_client_.post("/admin/democracy/compositionband/add/", band())
    assert response.status_code == 302
    assert CompositionBand.objects.filter(valid_from=dt.date(2026, 1, 1)).count() == 1
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))[-2:] == [
        "admin.change",
        "admin.add",
    ]


def test_obligation_rule_checks(admin_client_):
    before = ObligationRule.objects.count()
    response = admin_client_.post(
        "/admin/democracy/obligationrule/add/",
        {
            "valid_from": "2021-06-01",
            "legal_basis": "X",
            "certainty": "S",
            "dialogue_every_months": "0",
            "conference_every_months": "12",
            "due_soon_days": "60",
        },
    )
    html = response.content.decode()
    assert "Give between 1 and 60 months." in html
    assert ObligationRule.objects.count() == before
