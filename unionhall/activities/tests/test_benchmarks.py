"""The check-in benchmark at a tiny scale: the exact rows made on both sides, and everything rolled back."""

from django.db import connection

from unionhall.activities.benchmarks import bench_checkins
from unionhall.activities.models import Activity, Attendee
from unionhall.audit.models import AuditEntry
from unionhall.members.models import Person


def test_fifty_checkins_are_made_measured_and_rolled_back(cast):
    before = (Person.objects.count(), Activity.objects.count(), Attendee.objects.count(), AuditEntry.objects.count())
    result = bench_checkins(checkins=50, seed=3)
    assert result.checkins == 50
    assert result.database == connection.vendor
    assert result.product_seconds > 0 and result.raw_seconds > 0
    assert result.ratio == result.product_seconds / result.raw_seconds
    # Lock, organisers, membership, roster, insert, counters, audit: a handful of queries per check-in.
    assert 5 <= result.queries_per_checkin <= 15, result.queries_per_checkin
    assert result.generated.startswith("77 synthetic members in 2 grassroots unions under DN-TB; 50 of them checked in")
    after = (Person.objects.count(), Activity.objects.count(), Attendee.objects.count(), AuditEntry.objects.count())
    assert after == before
