"""Small server-rendered SVG charts: no JavaScript, no CDN, nothing to install.

The markup is built from numbers and escaped labels only, so it is safe to put inline in a page.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def weekly_bars(per_day: dict[date, int], *, weeks: int, today: date, width: int = 640,
                height: int = 120) -> SafeString:
    """A bar per week (Monday to Sunday) for the last `weeks` weeks, each titled with its week and count."""
    this_monday = today - timedelta(days=today.weekday())
    starts = [this_monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    totals = [sum(per_day.get(start + timedelta(days=d), 0) for d in range(7)) for start in starts]
    top = max(totals) or 1
    gap = 2
    bar = (width - gap * weeks) / weeks
    plot = height - 18
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="Stories per week, last {weeks} weeks (most in one week: {max(totals)})">']
    for i, (start, total) in enumerate(zip(starts, totals)):
        h = round(plot * total / top, 1)
        x = round(i * (bar + gap), 1)
        label = escape(f"week of {start:%d %b %Y}: {total} stor{'y' if total == 1 else 'ies'}")
        parts.append(f'<rect x="{x}" y="{plot - h}" width="{round(bar, 1)}" height="{max(h, 0.5)}">'
                     f"<title>{label}</title></rect>")
    parts.append(f'<text x="0" y="{height - 3}">{escape(f"{starts[0]:%d %b %Y}")}</text>')
    parts.append(f'<text x="{width}" y="{height - 3}" text-anchor="end">this week</text>')
    parts.append(f'<text x="{width}" y="11" text-anchor="end">{max(totals)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
