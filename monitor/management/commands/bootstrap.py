"""python manage.py bootstrap: first-run set-up that `make run` does after migrating. Safe to repeat."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from monitor.gazetteer import sync_gazetteer
from monitor.maintenance import index_unindexed_stories, optimize_database, unindexed_stories
from sources.adding import add_source
from sources.models import Source

# Public feeds of Pakistani and regional outlets that report on security, added only to an empty install so
# a newcomer sees stories within minutes. Admins remove or replace them in the admin.
STARTER_FEEDS = [
    ("Dawn", "https://www.dawn.com/feeds/home"),
    ("The Express Tribune", "https://tribune.com.pk/feed/home"),
    ("Geo News", "https://www.geo.tv/rss/1/1"),
    ("Arab News", "https://www.arabnews.com/rss.xml"),
]


class Command(BaseCommand):
    help = ("Sync the shipped gazetteer, index older stories for the dashboard, refresh the planner's "
            "statistics; on an empty install also create an admin account (password printed "
            "once and saved in var/admin-password.txt) and add a few starter feeds.")

    def handle(self, *args: Any, **options: Any) -> None:
        added, updated = sync_gazetteer()
        self.stdout.write(f"gazetteer: {added} entries added, {updated} refreshed")
        if unindexed_stories():
            self.stdout.write(f"dashboard tables: {index_unindexed_stories()} older stories indexed")
        self.stdout.write(f"query planner statistics: {optimize_database()}")
        users = get_user_model().objects
        if not users.exists():
            password = secrets.token_urlsafe(12)
            users.create_superuser("admin", "", password)
            path = settings.VAR_DIR / "admin-password.txt"
            path.write_text(password + "\n")
            path.chmod(0o600)
            self.stdout.write(self.style.SUCCESS(
                f"Created the admin account. Log in as 'admin' with password {password} (also in {path}); "
                "change it under Admin › Users."))
        if not Source.objects.exists() and settings.MONITOR_STARTER_FEEDS:
            for name, url in STARTER_FEEDS:
                add_source(url, name=name)
            self.stdout.write(f"Added {len(STARTER_FEEDS)} starter feeds; manage them under Admin › Sources.")
