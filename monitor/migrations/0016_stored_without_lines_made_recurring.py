"""From now on an article's comparison data leaves out the lines its own grouping makes recurring
(monitor.stories.compared_side), so data stored at a clustering number is stale only for lines made recurring
after it (monitor.stories.sides_of: `recurring_from > compared_seq`, where it was `>=`).

Rows stored before, at the very number at which one of their outlet's lines became recurring, may still hold
that line: their number is moved back by one, which makes them stale under the new rule exactly when they
were under the old one, so they are cut again the next time they are a candidate. One statement, driven by
the outlet lines that have become recurring. Run it with the grouping workers stopped, as every migration:
a worker that had read up to the number just below would not read these rows again until it restarts.
"""

from typing import Any

from django.db import migrations


def move_back_rows_stored_before_the_rule(apps: Any, schema_editor: Any) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "UPDATE monitor_storyarticle SET compared_seq = compared_seq - 1 WHERE article_id IN ("
            "SELECT l.article_id FROM monitor_recurringline r "
            "JOIN monitor_storyarticle l ON l.compared_seq = r.recurring_from "
            "JOIN sources_article a ON a.id = l.article_id AND a.source_id = r.source_id "
            "WHERE r.recurring_from IS NOT NULL)")


class Migration(migrations.Migration):

    dependencies = [
        ("monitor", "0015_candidate_index_in_memory"),
    ]

    operations = [
        # Back: nothing to undo. Under the old rule, rows stored without the lines they made recurring are
        # cut again once, the next time they are a candidate, and come out the same.
        migrations.RunPython(move_back_rows_stored_before_the_rule, migrations.RunPython.noop),
    ]
