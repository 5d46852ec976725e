"""The full-text index of published entries, per database.

SQLite: an FTS5 virtual table ``knowledge_entry_fts`` (rowid = entry id; title,
summary and the rest as columns, holding the lemmatised and stemmed text that
``knowledge.search.index_entry`` writes). PostgreSQL: a GIN index on
``knowledge_entry.search_vector`` (the 'dutch' config; weights A/B/C). Each
half is a no-op on the other database.
"""

from django.db import migrations

FTS_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_entry_fts USING fts5("
    "title, summary, body, tokenize = 'unicode61 remove_diacritics 0')"
)
GIN_CREATE = (
    "CREATE INDEX IF NOT EXISTS knowledge_entry_search_gin "
    "ON knowledge_entry USING gin (search_vector)"
)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(FTS_CREATE)
    elif vendor == "postgresql":
        schema_editor.execute(GIN_CREATE)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS knowledge_entry_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS knowledge_entry_search_gin")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
