"""Data: every source's address in canonical form with its canonical_key, and per-day counts of the articles
already stored.

Sources that are one feed under different spellings (scheme, www., trailing slash, fragment, tracking
parameters) cannot all keep the key. The oldest keeps it. A newer duplicate that brought in no article is
deleted (with its poll history); one that did is kept, disabled, with a key that names the source it
duplicates, because deleting it would delete its articles and the stories made from them. An admin can
delete it once its history is no longer wanted. What was done is printed.
"""

from datetime import UTC
from typing import Any

from django.db import migrations
from django.db.models import Count
from django.db.models.functions import Coalesce, TruncDate

from sources.canonical import canonical_url, source_key

BATCH = 5000


def canonical_keys(apps: Any, schema_editor: Any) -> None:
    Source = apps.get_model("sources", "Source")
    Article = apps.get_model("sources", "Article")
    by_key: dict[str, list[Any]] = {}
    for source in Source.objects.order_by("created_at", "id").iterator():
        by_key.setdefault(source_key(source.url), []).append(source)
    report: list[str] = []
    for key, spellings in by_key.items():
        kept, duplicates = spellings[0], spellings[1:]
        for duplicate in duplicates:
            label, number = duplicate.name or duplicate.url, duplicate.pk
            if not Article.objects.filter(source_id=number).exists():
                duplicate.delete()
                report.append(f"deleted source #{number} ({label}): the same feed as #{kept.pk}, no articles")
                continue
            duplicate.canonical_key = f"duplicate-of-{kept.pk}-{duplicate.pk}"[:64]
            duplicate.enabled = False
            duplicate.status = "disabled"
            duplicate.disabled_reason = (f"The same feed as source #{kept.pk} ({kept.name or kept.url}), which keeps "
                                         "being polled. Disabled by the upgrade; its articles stay. Delete this "
                                         "source once its history is no longer needed.")
            duplicate.save(update_fields=["canonical_key", "enabled", "status", "disabled_reason"])
            report.append(f"disabled source #{duplicate.pk} ({label}): the same feed as #{kept.pk}; its articles "
                          "are kept")
    for key, spellings in by_key.items():
        kept = spellings[0]
        kept.canonical_key = key
        canonical = canonical_url(kept.url)
        # A disabled duplicate may hold the canonical spelling; then the kept source keeps its own.
        if canonical != kept.url and not Source.objects.filter(url=canonical).exclude(pk=kept.pk).exists():
            kept.url = canonical
        kept.save(update_fields=["url", "canonical_key"])
    if report:
        print(f"\n  sources: {len(report)} duplicate source(s) found (one feed under several addresses); the oldest "
              "of each is kept:")
        for line in report:
            print(f"    {line}")


def count_days(apps: Any, schema_editor: Any) -> None:
    Article = apps.get_model("sources", "Article")
    SourceDay = apps.get_model("sources", "SourceDay")
    rows = (Article.objects.annotate(day=TruncDate(Coalesce("published_at", "created_at"), tzinfo=UTC))
            .values("source_id", "day").annotate(n=Count("id")).order_by())
    batch: list[Any] = []
    for row in rows.iterator(chunk_size=BATCH):
        batch.append(SourceDay(source_id=row["source_id"], day=row["day"], articles=row["n"]))
        if len(batch) >= BATCH:
            SourceDay.objects.bulk_create(batch)
            batch = []
    SourceDay.objects.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ("sources", "0006_source_management"),
    ]

    operations = [
        migrations.RunPython(canonical_keys, migrations.RunPython.noop),
        migrations.RunPython(count_days, migrations.RunPython.noop),
    ]
