"""The candidate index keeps each key's publication time, and one index (key, time, article) answers the lookup
without reading articles (monitor.stories._ranked_by_shared_keys)."""

from typing import Any

from django.db import migrations, models

FILL = {
    "sqlite": "CAST(strftime('%s', a.published_at) AS INTEGER)",
    "postgresql": "CAST(FLOOR(EXTRACT(EPOCH FROM a.published_at)) AS BIGINT)",
}


def copy_publication_times(apps: Any, schema_editor: Any) -> None:
    """Fills the new column from the articles: one statement, before the index exists."""
    schema_editor.execute(
        f"UPDATE monitor_articleband SET published_epoch = (SELECT {FILL[schema_editor.connection.vendor]} "
        "FROM sources_article a WHERE a.id = monitor_articleband.article_id)",
        None)  # no parameters: SQLite's backend would read strftime's '%s' as a placeholder


class Migration(migrations.Migration):

    dependencies = [
        ("monitor", "0013_text_words"),
    ]

    operations = [
        migrations.AddField(
            model_name="articleband",
            name="published_epoch",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(copy_publication_times, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="articleband",
            index=models.Index(fields=["key", "published_epoch", "article"], name="article_band_lookup"),
        ),
        # The old index on the key alone goes. Dropped by name: on SQLite, AlterField would copy the whole
        # table (72 rows per article) to drop one index.
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AlterField(model_name="articleband", name="key",
                                                    field=models.BigIntegerField())],
            database_operations=[migrations.RunSQL('DROP INDEX "monitor_articleband_key_9e1ace2c"',
                                                   reverse_sql='CREATE INDEX "monitor_articleband_key_9e1ace2c" '
                                                               'ON "monitor_articleband" ("key")')],
        ),
    ]
