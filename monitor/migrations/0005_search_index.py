"""The full-text index over StorySearch.document: FTS5 on SQLite, a stored tsvector with GIN on PostgreSQL.

SQLite: an external-content FTS5 table keyed by the story's sort key, kept in step by triggers, so code only
ever writes StorySearch rows. Its rowid order is time order, so "newest matches first" walks the index
backwards and stops after one page. PostgreSQL: a generated tsvector column and a GIN index.
Both use plain word tokens without stemming, so words match as words and acronyms stay themselves.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE monitor_story_fts USING fts5(
           document, content='monitor_storysearch', content_rowid='sort_key',
           tokenize="unicode61 remove_diacritics 2")""",
    """CREATE TRIGGER monitor_storysearch_ai AFTER INSERT ON monitor_storysearch BEGIN
           INSERT INTO monitor_story_fts(rowid, document) VALUES (new.sort_key, new.document);
       END""",
    """CREATE TRIGGER monitor_storysearch_ad AFTER DELETE ON monitor_storysearch BEGIN
           INSERT INTO monitor_story_fts(monitor_story_fts, rowid, document)
           VALUES ('delete', old.sort_key, old.document);
       END""",
    """CREATE TRIGGER monitor_storysearch_au AFTER UPDATE ON monitor_storysearch BEGIN
           INSERT INTO monitor_story_fts(monitor_story_fts, rowid, document)
           VALUES ('delete', old.sort_key, old.document);
           INSERT INTO monitor_story_fts(rowid, document) VALUES (new.sort_key, new.document);
       END""",
    "INSERT INTO monitor_story_fts(monitor_story_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS monitor_storysearch_au",
    "DROP TRIGGER IF EXISTS monitor_storysearch_ad",
    "DROP TRIGGER IF EXISTS monitor_storysearch_ai",
    "DROP TABLE IF EXISTS monitor_story_fts",
]
POSTGRES_FORWARD = [
    """ALTER TABLE monitor_storysearch ADD COLUMN document_tsv tsvector
           GENERATED ALWAYS AS (to_tsvector('simple', document)) STORED""",
    "CREATE INDEX monitor_storysearch_tsv ON monitor_storysearch USING GIN (document_tsv)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS monitor_storysearch_tsv",
    "ALTER TABLE monitor_storysearch DROP COLUMN IF EXISTS document_tsv",
]


def _run(statements):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        vendor = schema_editor.connection.vendor
        for statement in statements.get(vendor, []):
            schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ("monitor", "0004_dashboard_tables"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
