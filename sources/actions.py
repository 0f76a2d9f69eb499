"""What an admin does to a source (poll now, enable, disable, clear errors, edit), each recorded as a
`SourceChange` with who did it. The dashboard's buttons and the Django admin's actions both call these.

"Poll now" polls in the request, under MONITOR_CHECK_SECONDS, rather than marking the source due for the
worker: the admin who pressed it learns at once whether it worked (and why not), which is the point of
pressing it after fixing something, and it does not depend on the worker running. The articles it brings in
are extracted and tagged by the worker's next sweep (within a minute), as any poll's are. sources/ cannot
queue monitor's tasks, and does not need to.

Not for: adding sources (sources.adding) or the rules behind each state change (methods on Source).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from sources.adding import check_policy
from sources.models import CLEAR_ERRORS_FIELDS, DISABLE_FIELDS, ENABLE_FIELDS, PollRecord, Source, SourceChange
from sources.polling import poll_source


class ActionRefused(Exception):
    """An action that cannot be done to this source now; the message says why and what to do."""


DUPLICATE_KEY_PREFIX = "duplicate-of-"


def poll_now(source: Source, *, user: Any = None, actor: str = "") -> str:
    """Polls the source at once, whatever its backoff, and returns what happened in a sentence."""
    if not source.enabled:
        raise ActionRefused(f"{source} is disabled; enable it first, then poll it.")
    if not Source.objects.claim_for_poll(source.pk, force=True):
        raise ActionRefused(f"{source} is being polled by the worker right now; reload this page in a minute.")
    source.refresh_from_db()
    result = poll_source(source, policy=check_policy())
    source.refresh_from_db()
    if result.error:
        message = f"Polled {source}: {result.error}"
    elif result.new_article_ids:
        count = len(result.new_article_ids)
        message = (f"Polled {source}: {count} new item{'s' if count != 1 else ''}; the worker extracts and tags "
                   "them within a minute or two.")
    elif result.outcome == PollRecord.Outcome.NOT_MODIFIED:
        message = f"Polled {source}: the feed has not changed since the last poll."
    else:
        message = f"Polled {source}: no new items."
    SourceChange.record(source, SourceChange.Action.POLLED, user=user, actor=actor, detail=message)
    return message


def set_enabled(source: Source, enabled: bool, *, user: Any = None, actor: str = "") -> str:
    if enabled:
        if source.canonical_key.startswith(DUPLICATE_KEY_PREFIX):
            raise ActionRefused(f"{source} was disabled as a duplicate of another source ({source.disabled_reason}) "
                                "Delete it, or give it a different feed address first.")
        if source.enabled:
            return f"{source} is already enabled."
        source.enable()
        fields, action, message = ENABLE_FIELDS, SourceChange.Action.ENABLED, (
            f"{source} enabled; the worker polls it within a minute.")
    else:
        if not source.enabled:
            return f"{source} is already disabled."
        who = user.get_username() if user is not None else (actor or "an admin")
        source.disable(f"disabled by {who}")
        fields, action, message = DISABLE_FIELDS, SourceChange.Action.DISABLED, f"{source} disabled."
    with transaction.atomic():
        source.save(update_fields=fields)
        SourceChange.record(source, action, user=user, actor=actor)
    return message


def clear_errors(source: Source, *, user: Any = None, actor: str = "") -> str:
    """Forgets the source's failures and backoff (Source.clear_errors) so it is polled at the next tick."""
    had = source.consecutive_errors
    source.clear_errors()
    with transaction.atomic():
        source.save(update_fields=CLEAR_ERRORS_FIELDS)
        SourceChange.record(source, SourceChange.Action.CLEARED, user=user, actor=actor,
                            detail=f"{had} error{'s' if had != 1 else ''} in a row cleared")
    when = "within a minute" if source.enabled else "once it is enabled"
    return f"Errors of {source} cleared; the worker polls it {when}."


def retry_sources_refused_as_private(*, actor: str = "worker start") -> int:
    """With MONITOR_ALLOW_PRIVATE_FETCH on, clears the errors of sources that failed only because it was off
    (and re-enables those disabled for it), so they are polled at the next tick instead of waiting out their
    backoff. Returns how many. For the worker to call when it starts; does nothing when the setting is off.
    """
    if not settings.MONITOR_ALLOW_PRIVATE_FETCH:
        return 0
    marker = "MONITOR_ALLOW_PRIVATE_FETCH"
    refused = Source.objects.filter(Q(consecutive_errors__gt=0, last_error__contains=marker)
                                    | Q(enabled=False, disabled_reason__contains=marker))
    count = 0
    for source in refused:
        with transaction.atomic():
            if not source.enabled:
                source.enable()
            source.clear_errors()
            source.save(update_fields=sorted(set(ENABLE_FIELDS + CLEAR_ERRORS_FIELDS)))
            SourceChange.record(source, SourceChange.Action.CLEARED, actor=actor,
                                detail="refused as a private address before MONITOR_ALLOW_PRIVATE_FETCH was turned on")
        count += 1
    return count


def record_edit(source: Source, changes: dict[str, tuple[Any, Any]], *, user: Any = None, actor: str = "") -> None:
    """Records an edit as "field: old → new" lines; nothing when nothing changed."""
    if not changes:
        return
    lines = [f"{name}: {_shown(old)} → {_shown(new)}" for name, (old, new) in changes.items()]
    SourceChange.record(source, SourceChange.Action.EDITED, user=user, actor=actor, detail="\n".join(lines))


def _shown(value: Any) -> str:
    if value in (None, ""):
        return "(none)"
    if isinstance(value, (list, tuple, set)):
        return ", ".join(sorted(str(v) for v in value)) or "(none)"
    return repr(value) if isinstance(value, str) else str(value)
