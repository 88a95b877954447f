from unionhall.orgunits.models import Unit


def test_cast_tree(cast):
    assert cast.section.path.startswith(cast.unit.path)
    assert Unit.objects.visible_to(cast.officer, "unit.view").count() == 2
    assert set(Unit.objects.visible_to(cast.parent, "unit.view").values_list("code", flat=True)) == {
        "DN-TB",
        "DN-TB-001",
        "DN-TB-001-S1",
        "DN-TB-002",
    }
