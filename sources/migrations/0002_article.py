"""Article and ArticleRevision become sources' models: state only, the tables stay where they are.

Step two of four (monitor 0002 copied story membership out; monitor 0003 repoints monitor's foreign keys;
sources 0003 renames the tables). No row is touched here.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("sources", "0001_initial"),
        ("monitor", "0002_storyarticle"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Article",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("guid", models.CharField(max_length=2000)),
                        ("url", models.URLField(max_length=2000)),
                        ("canonical_url", models.URLField(max_length=2000)),
                        ("url_hash", models.CharField(max_length=64, unique=True)),
                        ("content_hash", models.CharField(blank=True, max_length=64)),
                        ("title", models.CharField(blank=True, max_length=1000)),
                        ("summary_html", models.TextField(blank=True)),
                        ("text", models.TextField(blank=True)),
                        ("author", models.CharField(blank=True, max_length=500)),
                        ("sitename", models.CharField(blank=True, max_length=300)),
                        ("language", models.CharField(blank=True, max_length=20)),
                        ("image_url", models.URLField(blank=True, max_length=2000)),
                        ("published_at", models.DateTimeField(blank=True, db_index=True, null=True)),
                        ("fetched_at", models.DateTimeField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("status", models.CharField(choices=[("new", "waiting for extraction"),
                                                             ("extracted", "waiting for tagging"),
                                                             ("tagged", "tagged"), ("failed", "failed")],
                                                    db_index=True, default="new", max_length=20)),
                        ("extraction", models.CharField(choices=[("pending", "pending"),
                                                                 ("ok", "extracted from the page"),
                                                                 ("failed", "page failed: feed summary used"),
                                                                 ("skipped", "page skipped: feed summary used")],
                                                        default="pending", max_length=20)),
                        ("extraction_error", models.TextField(blank=True)),
                        ("last_error", models.TextField(blank=True)),
                        ("attempts", models.PositiveIntegerField(default=0)),
                        ("claimed_by", models.CharField(blank=True, max_length=200)),
                        ("claimed_until", models.DateTimeField(blank=True, null=True)),
                        ("pipeline_version", models.CharField(blank=True, max_length=200)),
                        ("tagged_at", models.DateTimeField(blank=True, null=True)),
                        ("source", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                     related_name="articles", to="sources.source")),
                    ],
                    options={
                        "ordering": ["-published_at", "-id"],
                        "db_table": "monitor_article",
                        "indexes": [models.Index(fields=["status", "claimed_until"], name="article_pipeline_queue")],
                        "constraints": [models.UniqueConstraint(fields=("source", "guid"),
                                                                name="article_unique_guid_per_source")],
                    },
                ),
                migrations.CreateModel(
                    name="ArticleRevision",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("changed_at", models.DateTimeField(auto_now_add=True)),
                        ("old_title", models.CharField(blank=True, max_length=1000)),
                        ("old_summary_html", models.TextField(blank=True)),
                        ("old_content_hash", models.CharField(blank=True, max_length=64)),
                        ("new_guid", models.CharField(blank=True, max_length=2000)),
                        ("article", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                      related_name="revisions", to="sources.article")),
                    ],
                    options={"ordering": ["-changed_at"], "db_table": "monitor_articlerevision"},
                ),
            ],
            database_operations=[],
        ),
    ]
