"""monitor's foreign keys now point at sources.Article, and monitor forgets its own Article (state only).

Step three of four: the tables and rows are unchanged; only Django's idea of who owns them moves.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("monitor", "0002_storyarticle"),
        ("sources", "0002_article"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="storyarticle", name="article",
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                               related_name="story_link", serialize=False, to="sources.article"),
                ),
                migrations.AlterField(
                    model_name="story", name="first_article",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                            related_name="+", to="sources.article"),
                ),
                migrations.AlterField(
                    model_name="articleband", name="article",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="bands",
                                            to="sources.article"),
                ),
                migrations.AlterField(
                    model_name="mention", name="article",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="mentions",
                                            to="sources.article"),
                ),
                migrations.AlterField(
                    model_name="figure", name="article",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="figures",
                                            to="sources.article"),
                ),
                migrations.DeleteModel(name="ArticleRevision"),
                migrations.DeleteModel(name="Article"),
            ],
            database_operations=[],
        ),
    ]
