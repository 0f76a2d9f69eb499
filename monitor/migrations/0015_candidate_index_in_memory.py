"""The candidate index moves into the grouping processes' memory (monitor.candidate_index): each article's keys
become one column of bytes on its StoryArticle row, with its publication time, and the ArticleBand table of
one row per key goes. Clustering numbers come from a counter from now on (ClusteringCounter)."""

import sys
from typing import Any

import numpy as np
from django.db import migrations, models

_ARTICLES_PER_BATCH = 5_000


def copy_keys_to_rows(apps: Any, schema_editor: Any) -> None:
    """Gathers each article's ArticleBand rows into its StoryArticle row, a batch of articles at a time, and
    says how far it is on large archives (72 rows per article: minutes at a million articles)."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), MIN(article_id), MAX(article_id) FROM monitor_storyarticle")
        total, first, last = cursor.fetchone()
        if not total:
            return
        done, reported = 0, 0
        for start in range(first, last + 1, _ARTICLES_PER_BATCH):
            end = start + _ARTICLES_PER_BATCH
            cursor.execute("SELECT article_id, key, published_epoch FROM monitor_articleband "
                           "WHERE article_id >= %s AND article_id < %s ORDER BY article_id, id", [start, end])
            keys: dict[int, list[int]] = {}
            epochs: dict[int, Any] = {}
            for article_id, key, epoch in cursor.fetchall():
                keys.setdefault(article_id, []).append(key)
                epochs[article_id] = epoch
            cursor.executemany(
                "UPDATE monitor_storyarticle SET index_keys = %s, published_epoch = %s WHERE article_id = %s",
                [(np.asarray(found, dtype="<i8").tobytes(), epochs[article_id], article_id)
                 for article_id, found in keys.items()])
            cursor.execute("SELECT COUNT(*) FROM monitor_storyarticle WHERE article_id >= %s AND article_id < %s",
                           [start, end])
            done += cursor.fetchone()[0]
            if total >= 100_000 and done * 10 // total > reported:
                reported = done * 10 // total
                print(f"\n  candidate index keys copied for {done:,} of {total:,} grouped articles",
                      end="", file=sys.stderr, flush=True)


def copy_keys_to_bands(apps: Any, schema_editor: Any) -> None:
    """Back: one ArticleBand row per key again, a batch of articles at a time."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT MIN(article_id), MAX(article_id) FROM monitor_storyarticle")
        first, last = cursor.fetchone()
        if first is None:
            return
        for start in range(first, last + 1, _ARTICLES_PER_BATCH):
            cursor.execute("SELECT article_id, index_keys, published_epoch FROM monitor_storyarticle "
                           "WHERE article_id >= %s AND article_id < %s AND index_keys IS NOT NULL",
                           [start, start + _ARTICLES_PER_BATCH])
            cursor.executemany(
                "INSERT INTO monitor_articleband (article_id, key, published_epoch) VALUES (%s, %s, %s)",
                [(article_id, key, epoch) for article_id, data, epoch in cursor.fetchall()
                 for key in np.frombuffer(bytes(data), dtype="<i8").tolist()])


def start_the_counter(apps: Any, schema_editor: Any) -> None:
    """The clustering counter starts at the highest number in use."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("INSERT INTO monitor_clusteringcounter (id, last) "
                       "SELECT 1, COALESCE(MAX(compared_seq), 0) FROM monitor_storyarticle")


class Migration(migrations.Migration):

    dependencies = [
        ("monitor", "0014_article_band_lookup"),
    ]

    operations = [
        migrations.AddField(
            model_name="storyarticle",
            name="index_keys",
            field=models.BinaryField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="storyarticle",
            name="published_epoch",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(copy_keys_to_rows, copy_keys_to_bands),
        migrations.AddIndex(
            model_name="storyarticle",
            index=models.Index(fields=["published_epoch"], name="story_article_by_time"),
        ),
        migrations.DeleteModel(
            name="ArticleBand",
        ),
        migrations.CreateModel(
            name="ClusteringCounter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("last", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(start_the_counter, migrations.RunPython.noop),
    ]
