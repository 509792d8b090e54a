import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="Division",
            fields=[
                (
                    "code",
                    models.CharField(
                        max_length=9, primary_key=True, serialize=False, verbose_name="code"
                    ),
                ),
                (
                    "level",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (1, "province"),
                            (2, "prefecture"),
                            (3, "county"),
                            (4, "township / subdistrict"),
                        ],
                        verbose_name="level",
                    ),
                ),
                ("name", models.CharField(max_length=64, verbose_name="name")),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="children",
                        to="geo.division",
                    ),
                ),
            ],
            options={
                "ordering": ["code"],
                "verbose_name": "administrative division",
                "verbose_name_plural": "administrative divisions",
            },
        ),
    ]
