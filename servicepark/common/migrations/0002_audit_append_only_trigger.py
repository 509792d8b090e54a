"""On PostgreSQL, refuse UPDATE and DELETE of audit events in the database itself."""

from django.db import migrations

from servicepark.common.dbops import PostgresOnlySQL

FORWARD = """
CREATE FUNCTION common_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END $$;
CREATE TRIGGER common_auditevent_append_only BEFORE UPDATE OR DELETE ON common_auditevent
    FOR EACH ROW EXECUTE FUNCTION common_audit_append_only();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS common_auditevent_append_only ON common_auditevent;
DROP FUNCTION IF EXISTS common_audit_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("common", "0001_initial")]
    operations = [PostgresOnlySQL(FORWARD, BACKWARD)]
