"""Every source now has its canonical_key (0007): make it required and unique, so one feed is one source."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("sources", "0007_source_canonical_urls_and_day_counts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="source",
            name="canonical_key",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
