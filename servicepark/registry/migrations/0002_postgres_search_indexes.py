"""PostgreSQL-only indexes for directory search (SQLite keeps the portable schema).

- CJK name fragments: GIN full-text index over the name's character n-grams (`search_tokens`);
  the expression must match registry.selectors._search exactly.
- Pinyin and initials: trigram GIN indexes for substring matches.
- USCC, initials and division prefixes: pattern-ops b-trees serve LIKE 'x%' in any collation.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from servicepark.common.dbops import PostgresOnlySQL

FORWARD = """
CREATE INDEX org_tokens_fts ON registry_organization
    USING gin (to_tsvector('simple'::regconfig, COALESCE(search_tokens, ''::text)));
CREATE INDEX org_pinyin_trgm ON registry_organization USING gin (name_pinyin gin_trgm_ops);
CREATE INDEX org_initials_trgm ON registry_organization USING gin (name_initials gin_trgm_ops);
CREATE INDEX org_uscc_prefix ON registry_organization (uscc varchar_pattern_ops);
CREATE INDEX org_initials_prefix ON registry_organization (name_initials varchar_pattern_ops);
CREATE INDEX org_pinyin_prefix ON registry_organization (name_pinyin varchar_pattern_ops);
CREATE INDEX org_division_prefix ON registry_organization (division_code varchar_pattern_ops);
"""
BACKWARD = """
DROP INDEX IF EXISTS org_tokens_fts;
DROP INDEX IF EXISTS org_pinyin_trgm;
DROP INDEX IF EXISTS org_initials_trgm;
DROP INDEX IF EXISTS org_uscc_prefix;
DROP INDEX IF EXISTS org_initials_prefix;
DROP INDEX IF EXISTS org_pinyin_prefix;
DROP INDEX IF EXISTS org_division_prefix;
"""


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [TrigramExtension(), PostgresOnlySQL(FORWARD, BACKWARD)]
