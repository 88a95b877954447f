"""The product's commands: demo, generate, bench and geo load."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count

from unionhall.accounts.models import User
from unionhall.audit.chain import find_break, iterate_rows
from unionhall.audit.models import AuditEntry
from unionhall.core.scoping import subtree_q
from unionhall.orgunits import benchmarks, paths, services
from unionhall.orgunits.models import AdminArea, Unit, UnitPlacement
from unionhall.orgunits.synthetic import Shape, _build, shape_for

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def unit(code: str) -> Unit:
    return Unit.objects.select_related("parent", "type").get(code=code)


# ---------------------------------------------------------------- generate


def test_shape_at_full_scale():
    assert shape_for(135_000) == Shape(provinces=34, communes=3_400, grassroots=130_000, sections=1_565)
    assert shape_for(2_000) == Shape(provinces=20, communes=50, grassroots=1_906, sections=23)
    assert shape_for(4) == Shape(provinces=1, communes=1, grassroots=1, sections=0)
    for n in (4, 10, 99, 500, 2_000, 12_345, 135_000):
        assert shape_for(n).total == n


def test_generate_writes_exact_levels_and_consistent_paths():
    out = run("generate", "--units", "500", "--seed", "3")

    assert "Generated 500 units (1 / 5 / 12 / 477 / 5 by depth)" in out
    by_depth = dict(Unit.objects.values_list("depth").annotate(n=Count("pk")))
    assert by_depth == {0: 1, 1: 5, 2: 12, 3: 477, 4: 5}
    rows = {pk: (parent_id, path, depth) for pk, parent_id, path, depth in Unit.objects.values_list(
        "pk", "parent_id", "path", "depth"
    )}  # fmt: skip
    for pk, (parent_id, path, depth) in rows.items():
        assert path == (rows[parent_id][1] if parent_id else "") + paths.segment(pk)
        assert depth == paths.depth(path)
    assert set(Unit.objects.values_list("type__code", "depth").distinct()) == {
        ("confederation", 0),
        ("provincial_federation", 1),
        ("commune_union", 2),
        ("industrial_park_union", 2),
        ("grassroots_union", 3),
        ("union_section", 4),
    }
    open_placements = UnitPlacement.objects.filter(valid_to__isnull=True)
    assert open_placements.count() == 500
    assert set(open_placements.values_list("unit_id", "parent_id", "path")) == {
        (pk, parent_id, path) for pk, (parent_id, path, _depth) in rows.items()
    }
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.after["units"], entry.after["seed"]) == ("unit.generate", 500, 3)
    assert find_break(iterate_rows(AuditEntry.objects.all())) is None
    assert Unit.objects.filter(province__isnull=False).count() == 499
    assert Unit.objects.get(depth=0).search_name.startswith("gen-1 tong lien doan lao dong")


def test_generate_is_reproducible():
    first = _build(shape_for(300), seed=5, first_id=1, day=dt.date(2020, 1, 1))
    second = _build(shape_for(300), seed=5, first_id=1, day=dt.date(2020, 1, 1))
    other = _build(shape_for(300), seed=6, first_id=1, day=dt.date(2020, 1, 1))
    assert first.units == second.units
    assert first.units != other.units


def test_generate_refuses_a_database_with_units_unless_forced():
    run("generate", "--units", "100")
    with pytest.raises(CommandError, match="already holds 100 units"):
        run("generate", "--units", "100")
    assert Unit.objects.count() == 100

    run("generate", "--units", "100", "--force")

    assert Unit.objects.count() == 200
    assert Unit.objects.filter(depth=0).count() == 2
    second_root = Unit.objects.get(depth=0, pk__gt=100)
    assert Unit.objects.filter(subtree_q("path", second_root.path)).count() == 100
    created = Unit.objects.create(
        code="AFTER",
        name_vi="Sau",
        search_name="sau",
        type=second_root.type,
        path="x",
        established_date=dt.date.today(),
    )
    assert created.pk == 201  # the sequence continues after the explicit ids (PostgreSQL)


# ---------------------------------------------------------------- bench


def test_bench_tree_runs_at_tiny_scale_and_leaves_the_tree_as_it_was():
    out = run("bench", "tree", "--units", "400", "--repeat", "3")

    for label in ("subtree: first 50 units", "ancestors of a leaf", "is X inside", "transfer a subtree", "database:"):
        assert label in out
    assert out.count("| yes |") + out.count("| NO |") == 4
    assert Unit.objects.count() == 400
    assert UnitPlacement.objects.count() == 400
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["unit.generate"]


def test_bench_refuses_to_add_a_tree_beside_existing_units():
    run("generate", "--units", "50")
    with pytest.raises(CommandError, match="re-run with --force"):
        run("bench", "tree", "--units", "400", "--repeat", "2")
    assert Unit.objects.count() == 50


def _tree_state(prefix: str) -> tuple[set, set]:
    units = set(Unit.objects.values_list("pk", "parent_id", "path", "depth"))
    placements = set(UnitPlacement.objects.values_list("unit_id", "parent_id", "path", "valid_from", "valid_to"))
    return units, placements


def test_raw_transfer_does_what_the_service_does():
    run("generate", "--units", "600")
    root, size = benchmarks.transfer_candidate(40)
    target = Unit.objects.filter(depth=1).exclude(pk=root.parent_id).first()
    day = dt.date.today()
    admin = User(username="bench", is_superuser=True, is_active=True)
    states = []
    for side in ("service", "raw"):
        with transaction.atomic():
            if side == "service":
                services.unit_transfer(
                    actor=admin, units=[root], new_parent=target, decision=services.Decision(day, "x"), today=day
                )
            else:
                with connection.cursor() as cursor:
                    benchmarks.raw_transfer(
                        cursor,
                        unit_id=root.pk,
                        old_path=root.path,
                        new_parent_id=target.pk,
                        new_parent_path=target.path,
                        day=day,
                    )
            states.append(_tree_state(root.path))
            transaction.set_rollback(True)
        root.refresh_from_db()
    assert states[0] == states[1]
    assert Unit.objects.filter(subtree_q("path", target.path + paths.segment(root.pk))).count() == 0
    assert size > 1


# ---------------------------------------------------------------- geo load

GOOD = "code,name,province_code\nX001,Phường Một,75\nX002,Xã Hai,75\nX003,Phường Ba,01\n"


def write(tmp_path, text: str, name: str = "communes.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def communes():
    return AdminArea.objects.filter(scheme__code="vn-2025", level="commune")


def test_geo_load_is_idempotent_and_updates_names(tmp_path):
    out = run("geo", "load", write(tmp_path, GOOD), "--map", "vn-2025")

    assert out.strip() == "vn-2025: 3 communes created, 0 renamed, 0 unchanged."
    assert sorted(communes().values_list("code", "name", "parent__code")) == [
        ("X001", "Phường Một", "75"),
        ("X002", "Xã Hai", "75"),
        ("X003", "Phường Ba", "01"),
    ]
    assert AuditEntry.objects.filter(action="geo.load").count() == 1

    again = run("geo", "load", write(tmp_path, GOOD), "--map", "vn-2025")
    assert again.strip() == "vn-2025: 0 communes created, 0 renamed, 3 unchanged."
    assert AuditEntry.objects.filter(action="geo.load").count() == 1

    renamed = run("geo", "load", write(tmp_path, "\ufeff" + GOOD.replace("Xã Hai", "Xã Hai Mới")), "--map", "vn-2025")
    assert renamed.strip() == "vn-2025: 0 communes created, 1 renamed, 2 unchanged."
    assert communes().get(code="X002").name == "Xã Hai Mới"
    assert communes().count() == 3


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        (
            "code,name,province_code\nX001,Một,75\nX002,,75\nX003,Ba,99\nX001,Bốn,75\nbad code!,Năm,75\n",
            [
                "line 3: the name must have 1 to 200 characters",
                "line 4: province '99' is not in this map",
                "line 5: code 'X001' is already on line 2",
                "line 6: code 'bad code!' must be 1 to 10 letters",
            ],
        ),
        ("code,name\nX001,Một\n", ["line 1: the header must be code,name,province_code (found code,name)"]),
        ("code,name,province_code\nX001,Một,75,extra\n", ["line 2: expected 3 columns, found 4"]),
        ("code,name,province_code\n75,Một,75\n", ["line 2: code '75' is already used by the province Tỉnh Đồng Nai"]),
        ("", ["the file is empty"]),
    ],
)
def test_geo_load_refuses_bad_files_whole(tmp_path, text, problems):
    with pytest.raises(CommandError) as raised:
        run("geo", "load", write(tmp_path, text), "--map", "vn-2025")
    message = str(raised.value)
    assert message.startswith("Nothing was loaded from")
    for problem in problems:
        assert problem in message
    assert communes().count() == 0
    assert not AuditEntry.objects.exists()


def test_geo_load_refuses_a_moved_commune_and_an_unknown_map(tmp_path):
    run("geo", "load", write(tmp_path, GOOD), "--map", "vn-2025")
    with pytest.raises(CommandError, match="commune 'X001' already belongs to another province"):
        run(
            "geo", "load", write(tmp_path, GOOD.replace("X001,Phường Một,75", "X001,Phường Một,01")), "--map", "vn-2025"
        )
    with pytest.raises(CommandError, match="unknown map 'vn-1999' \\(known: vn-2008, vn-2025\\)"):
        run("geo", "load", write(tmp_path, GOOD), "--map", "vn-1999")
    with pytest.raises(CommandError, match="Cannot read"):
        run("geo", "load", str(tmp_path / "missing.csv"), "--map", "vn-2025")
    assert communes().get(code="X001").parent.code == "75"
