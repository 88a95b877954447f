"""History pages show only entries of units in the actor's scope."""

from django.test import Client

from unionhall.audit.models import AuditEntry


def test_entries_are_scoped(cast):
    client = Client()
    visible = {}
    for role in ("officer", "parent", "sibling", "outsider", "admin"):
        client.force_login(getattr(cast, role))
        response = client.get("/audit/")
        assert response.status_code == 200
        visible[role] = {e.object_label for e in response.context["entries"]}
    assert visible["officer"] == {str(cast.unit), str(cast.section)}
    assert visible["sibling"] == {str(cast.sibling_unit)}
    assert visible["outsider"] == {str(cast.other_province)}
    assert visible["parent"] == {str(cast.commune), str(cast.unit), str(cast.section), str(cast.sibling_unit)}
    assert len(visible["admin"]) == AuditEntry.objects.values("object_label").distinct().count()


def test_unit_history_and_keyset_pages(cast):
    client = Client()
    client.force_login(cast.admin)
    response = client.get("/units/DN-TB-001/history/")
    assert [e.object_label for e in response.context["entries"]] == [str(cast.section), str(cast.unit)]
    assert client.get("/audit/?before=notanumber").status_code == 200
    first = AuditEntry.objects.order_by("id").first()
    assert list(client.get(f"/audit/?before={first.pk}").context["entries"]) == []


def test_anonymous_redirected():
    response = Client().get("/audit/")
    assert response.status_code == 302


def test_labels_are_written_in_the_installations_language(cast):
    from django.utils import translation

    from unionhall.audit.recorder import record

    cast.unit.name_en = "Song May Company Union"
    cast.unit.save()
    with translation.override("en"):
        entry = record(actor=cast.admin, action="test.label", obj=cast.unit)
    assert entry.object_label == "Công đoàn cơ sở Công ty Sông Mây"
