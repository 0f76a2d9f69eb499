"""Story membership moves off the article into monitor's own StoryArticle table, with its data.

The first of four steps that hand the Article model to sources/ (see sources 0002 and 0003): an article's
story, copy kind and fingerprint are the analysis side's, so they are copied here before the article's
columns go.
"""

import django.db.models.deletion
from django.db import migrations, models

BATCH = 2000


def copy_memberships(apps, schema_editor):  # type: ignore[no-untyped-def]
    Article = apps.get_model("monitor", "Article")
    StoryArticle = apps.get_model("monitor", "StoryArticle")
    rows = (Article.objects.filter(story__isnull=False).order_by("id")
            .values_list("id", "story_id", "copy_kind", "fingerprint").iterator(chunk_size=BATCH))
    batch = []
    for article_id, story_id, copy_kind, fingerprint in rows:
        batch.append(StoryArticle(article_id=article_id, story_id=story_id, copy_kind=copy_kind,
                                  fingerprint=fingerprint))
        if len(batch) >= BATCH:
            StoryArticle.objects.bulk_create(batch)
            batch = []
    StoryArticle.objects.bulk_create(batch)


def copy_memberships_back(apps, schema_editor):  # type: ignore[no-untyped-def]
    Article = apps.get_model("monitor", "Article")
    StoryArticle = apps.get_model("monitor", "StoryArticle")
    for member in StoryArticle.objects.all().iterator(chunk_size=BATCH):
        Article.objects.filter(pk=member.article_id).update(story_id=member.story_id, copy_kind=member.copy_kind,
                                                            fingerprint=member.fingerprint)


class Migration(migrations.Migration):

    dependencies = [
        ("monitor", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="StoryArticle",
            fields=[
                ("article", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                                 related_name="story_link", serialize=False, to="monitor.article")),
                ("copy_kind", models.CharField(choices=[("original", "first report"), ("verbatim", "verbatim copy"),
                                                        ("rewritten", "rewritten copy")],
                                               default="original", max_length=20)),
                ("fingerprint", models.BinaryField(blank=True, null=True)),
                ("story", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="members",
                                            to="monitor.story")),
            ],
        ),
        migrations.RunPython(copy_memberships, copy_memberships_back),
        migrations.RemoveField(model_name="article", name="story"),
        migrations.RemoveField(model_name="article", name="copy_kind"),
        migrations.RemoveField(model_name="article", name="fingerprint"),
    ]
