"""The folded search name compares by code point ("C") on PostgreSQL, as SQLite's BINARY does.

The folded text needs no linguistic order, and under "C" the name index serves prefix ranges and
LIKE 'prefix%' whatever the database's locale, so a name search stops after one page.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute('ALTER TABLE members_person ALTER COLUMN search_name TYPE varchar(400) COLLATE "C"')


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute('ALTER TABLE members_person ALTER COLUMN search_name TYPE varchar(400) COLLATE "default"')


class Migration(migrations.Migration):
    dependencies = [("members", "0003_membership_suspension")]
    operations = [migrations.RunPython(forwards, backwards)]
