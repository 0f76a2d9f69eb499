"""Links that change one URL parameter of the current view, so every filter stays bookmarkable.

Changing a filter drops the page position (after, before, page): a cursor from one result set means nothing
in another.
"""

from __future__ import annotations

from django.http import QueryDict

PAGE_PARAMS = ("after", "before", "page")


def with_param(params: QueryDict, name: str, value: object) -> str:
    """The query string with `value` added to `name` (filters that take several values combine)."""
    changed = _without_position(params)
    if str(value) not in changed.getlist(name):
        changed.appendlist(name, str(value))
    return changed.urlencode()


def without_param(params: QueryDict, name: str, value: object | None = None) -> str:
    """The query string without `name` (or without just that one value of it)."""
    changed = _without_position(params)
    if value is None:
        changed.pop(name, None)
    else:
        changed.setlist(name, [v for v in changed.getlist(name) if v != str(value)])
    return changed.urlencode()


def at_position(params: QueryDict, **position: object) -> str:
    """The query string with the page position replaced (after=…, before=… or page=…)."""
    changed = _without_position(params)
    for name, value in position.items():
        changed[name] = str(value)
    return changed.urlencode()


def _without_position(params: QueryDict) -> QueryDict:
    changed = params.copy()
    for name in PAGE_PARAMS:
        changed.pop(name, None)
    return changed
