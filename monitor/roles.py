"""The two roles, as Django groups: analysts read, filter, export and correct stories (split, merge); admins also
manage sources and the gazetteer.

`ensure_roles` runs after every `migrate` (and after a test database is flushed), so the groups and their
permissions always exist; it only adds, so permissions an admin granted by hand stay.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

ANALYST = "analyst"
ADMIN = "admin"
ANALYST_PERMISSIONS = [
    ("monitor", "view_story"), ("monitor", "export_story"), ("monitor", "view_entity"), ("monitor", "view_figure"),
    ("monitor", "view_mention"), ("monitor", "correct_story"),
]
ADMIN_MODELS = [
    ("sources", "source"), ("sources", "sourcegroup"), ("sources", "pollrecord"), ("sources", "article"),
    ("monitor", "gazetteerentry"),
    ("monitor", "entity"), ("monitor", "story"),
]


def ensure_roles(**_: Any) -> None:
    analyst, _created = Group.objects.get_or_create(name=ANALYST)
    analyst.permissions.add(*_permissions(ANALYST_PERMISSIONS))
    admin, _created = Group.objects.get_or_create(name=ADMIN)
    admin_pairs = ANALYST_PERMISSIONS + [(app, f"{action}_{model}") for app, model in ADMIN_MODELS
                                         for action in ("view", "add", "change", "delete")]
    admin.permissions.add(*_permissions(admin_pairs))


def _permissions(pairs: list[tuple[str, str]]) -> list[Permission]:
    found = Permission.objects.filter(content_type__app_label__in={app for app, _ in pairs},
                                      codename__in={code for _, code in pairs}).select_related("content_type")
    wanted = set(pairs)
    return [p for p in found if (p.content_type.app_label, p.codename) in wanted]
