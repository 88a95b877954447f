"""The dashboard benchmark on a small province: the product and the raw SQL agree, and nothing is left behind."""

import datetime as dt

import pytest

from unionhall.activities.models import Activity
from unionhall.democracy.benchmarks import bench_compliance
from unionhall.democracy.models import Dialogue
from unionhall.orgunits.models import Unit


@pytest.mark.django_db
def test_bench_compliance_agrees_with_raw_sql_and_rolls_back():
    units = Unit.objects.count()
    result = bench_compliance(employers=300, seed=3, today=dt.date(2025, 3, 15))
    assert result.same_answer
    assert result.employers == 300
    assert sum(result.counts.values()) == 300
    assert all(result.counts[state] > 0 for state in ("overdue", "due_soon", "up_to_date"))
    assert result.queries <= 4
    assert (Unit.objects.count(), Activity.objects.count(), Dialogue.objects.count()) == (units, 0, 0)
