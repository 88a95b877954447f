"""The clocks and remuneration percentages of Decree 13/2012/NĐ-CP (in force from 25 April 2012)."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

DECREE_13_2012 = {
    "valid_from": dt.date(2012, 4, 25),
    "legal_basis": "Nghị định 13/2012/NĐ-CP ban hành Điều lệ Sáng kiến (Điều 5, 7, 8, 10), "
    "hướng dẫn bởi Thông tư 18/2013/TT-BKHCN",
    "verified": "S",
    "request_window_months": 12,
    "examine_months": 1,
    "amend_months": 1,
    "decide_months": 3,
    "remuneration_percent": Decimal("7.00"),
    "remuneration_years": 3,
    "transfer_percent": Decimal("15.00"),
    "transfer_years": 3,
    "payment_months": 1,
}


def forwards(apps, schema_editor):
    InitiativeRule = apps.get_model("initiatives", "InitiativeRule")
    values = dict(DECREE_13_2012)
    InitiativeRule.objects.get_or_create(valid_from=values.pop("valid_from"), defaults=values)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
