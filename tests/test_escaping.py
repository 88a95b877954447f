"""User text is escaped on every page that shows it (reliability P15)."""

import datetime as dt

from django.test import Client

from conftest import establish
from unionhall.orgunits import services

PAYLOAD = '<img src=x onerror="window.__x=1">'


def test_unit_names_and_reasons_are_escaped_everywhere(cast):
    unit = establish(cast.admin, cast.unit, "union_group", "XSS-1", PAYLOAD)
    services.unit_rename(
        actor=cast.admin,
        unit=unit,
        names={"vi": PAYLOAD + " 2", "en": PAYLOAD},
        decision=services.Decision(dt.date(2024, 1, 2), PAYLOAD),
    )
    client = Client()
    client.force_login(cast.officer)
    pages = [
        "/units/XSS-1/",
        "/units/DN-TB-001/",
        "/units/DN-TB-001/children/",
        "/units/search/?q=img",
        "/units/search/?field=q&as=options&q=img",
        "/units/XSS-1/history/",
        "/audit/",
        "/units/XSS-1/rename/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert PAYLOAD not in response.content.decode(), url
    detail = client.get("/units/XSS-1/").content.decode()
    assert "&lt;img src=x onerror=&quot;window.__x=1&quot;&gt;" in detail
