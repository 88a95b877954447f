"""core.bulk: VACUUM is never sent inside a transaction (PostgreSQL would refuse it) nor to SQLite.

Outside a transaction on PostgreSQL it runs for real in `make bench-smoke` (`bench report` rebuilds the roll-ups).
"""

import pytest
from django.db import transaction

from unionhall.core.bulk import vacuum
from unionhall.reports.models import RollupYear


@pytest.mark.django_db
def test_vacuum_is_skipped_inside_a_transaction():
    with transaction.atomic():
        assert vacuum([RollupYear]) is False
