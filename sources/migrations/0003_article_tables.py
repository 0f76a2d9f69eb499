"""The article tables take sources' names, and their content types follow them to the sources app.

Step four of four. Renaming a table keeps its rows and indexes; SQLite (3.26+) and PostgreSQL both
update the foreign keys that point at it.
"""

from django.db import migrations

MOVED = ["article", "articlerevision"]


def move_content_types(apps, schema_editor):  # type: ignore[no-untyped-def]
    ContentType = apps.get_model("contenttypes", "ContentType")
    # A database migrated before may already hold empty sources types made by post_migrate; the old
    # ones carry the admin log and permissions, so they win.
    if ContentType.objects.filter(app_label="monitor", model__in=MOVED).exists():
        ContentType.objects.filter(app_label="sources", model__in=MOVED).delete()
        ContentType.objects.filter(app_label="monitor", model__in=MOVED).update(app_label="sources")


def move_content_types_back(apps, schema_editor):  # type: ignore[no-untyped-def]
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="sources", model__in=MOVED).update(app_label="monitor")


class Migration(migrations.Migration):

    dependencies = [
        ("sources", "0002_article"),
        ("monitor", "0003_article_moved_to_sources"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="article", table=None),
        migrations.AlterModelTable(name="articlerevision", table=None),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
