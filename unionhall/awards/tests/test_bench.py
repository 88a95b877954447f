"""`unionhall bench eligibility` at a tiny scale: it runs, prints its table, agrees with raw SQL, writes nothing."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from unionhall.awards import cli
from unionhall.awards.models import Award, Decision
from unionhall.core import commands
from unionhall.members.models import Membership, Person
from unionhall.orgunits.models import Unit
from unionhall.orgunits.synthetic import synthetic_tree_generate


@pytest.fixture(autouse=True)
def _registered():
    """AwardsConfig.ready() registers the benchmark; registering again is harmless."""
    commands.register_benchmark(cli.ELIGIBILITY)


def sizes() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "people": Person.objects.count(),
        "memberships": Membership.objects.count(),
        "decisions": Decision.objects.count(),
        "awards": Award.objects.count(),
    }


def bench(*args: str) -> str:
    out = io.StringIO()
    call_command("bench", "eligibility", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_bench_runs_at_a_tiny_scale_and_leaves_nothing_behind():
    synthetic_tree_generate(actor=None, units=400, seed=3)
    before = sizes()
    output = bench("--people", "300", "--years", "2")
    assert "unionhall bench eligibility" in output
    assert "| Measure | Product | Raw limit | Ratio | Target | Met |" in output
    assert "| batch eligibility of the province, seconds |" in output
    assert "| SQL queries |" in output
    assert "| lao_dong_tien_tien |" in output and "| chien_si_thi_dua_co_so |" in output
    assert "NO (" not in output  # the raw SQL reaches the same verdicts for every award type
    assert output.rstrip().endswith("All targets met.")
    assert sizes() == before


@pytest.mark.django_db
def test_bench_query_count_does_not_depend_on_the_number_of_people():
    synthetic_tree_generate(actor=None, units=400, seed=3)

    def queries(people: int) -> int:
        line = next(x for x in bench("--people", str(people), "--years", "2").splitlines() if "| SQL queries |" in x)
        return int(line.split("|")[2].strip().replace(",", ""))

    assert queries(100) == queries(600)


@pytest.mark.django_db
def test_bench_makes_a_tree_when_there_is_none():
    output = bench("--people", "50", "--years", "1")
    assert "and a tree of 2,000 units" in output
    assert Unit.objects.count() == 0


@pytest.mark.django_db
def test_bench_refuses_bad_sizes():
    with pytest.raises(CommandError):
        bench("--people", "0")
    with pytest.raises(CommandError):
        bench("--people", "10", "--years", "0")
