"""PostgreSQL: serve filing-number prefix searches from an index (they shared the USCC path
and made it scan every filed organization)."""

from django.db import migrations

from servicepark.common.dbops import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_import_job_language")]
    operations = [
        PostgresOnlySQL(
            "CREATE INDEX org_filing_prefix ON registry_organization "
            "(filing_number varchar_pattern_ops);",
            "DROP INDEX IF EXISTS org_filing_prefix;",
        )
    ]
