"""The monitor app: connects the roles to post_migrate, after which Django has created every permission."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MonitorConfig(AppConfig):
    name = "monitor"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from monitor.roles import ensure_roles  # models are importable only once apps are ready

        # Sent once per app, after that app's permissions are made; adding is idempotent, so every call is safe
        # and the last one sees every app's permissions.
        post_migrate.connect(ensure_roles, dispatch_uid="monitor.roles.ensure_roles")
        post_migrate.connect(_optimize_after_migrate, sender=self, dispatch_uid="monitor.optimize_after_migrate")


def _optimize_after_migrate(**kwargs: Any) -> None:
    """Planner statistics as soon as the schema exists (SQLite has none until ANALYZE runs)."""
    from monitor.maintenance import optimize_database  # imports models: only possible once apps are ready

    optimize_database()
