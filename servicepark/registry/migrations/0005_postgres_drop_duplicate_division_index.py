"""PostgreSQL: drop org_division_prefix, which duplicates the `_like` index Django creates for
the division_code foreign key (every index slows bulk imports; see docs/BENCHMARKS.md)."""

from django.db import migrations

from servicepark.common.dbops import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_postgres_filing_number_prefix_index")]
    operations = [
        PostgresOnlySQL(
            "DROP INDEX IF EXISTS org_division_prefix;",
            "CREATE INDEX org_division_prefix ON registry_organization "
            "(division_code varchar_pattern_ops);",
        )
    ]
