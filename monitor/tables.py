"""The dashboard's tables (django-tables2). Rows come from monitor.story_query, already one page long, so
the tables do not paginate or sort themselves: the list's cursor links and order menu do that along an index.

The tables are declared the django-tables2 way (columns, headers, cell attributes, `render_<column>` methods) and
render through `{% render_table %}`, but their body is made by `PageTable.page_rows` in one pass instead of cell
by cell (see there for why).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import Any

import django_tables2 as tables
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django_tables2.utils import signature

from monitor.models import Figure, Story

URL_MARKER_ID = 7_318_004_265_193_021  # an id no row has, too long to occur anywhere else in one of our URLs

Row = list[tuple[SafeString, object]]  # (the <td>'s attributes, the cell) for each column


class PageTable(tables.Table):
    """A table of one page of records whose body is rendered once per page.

    django-tables2 renders a body cell by cell through BoundRow, which runs inspect.signature on the cell's render
    method for every cell, looks the column's model field up for every cell, and compiles a template for every
    DateTimeColumn cell: with 50 stories a page, the story list took 65 ms of Python instead of 20. `page_rows`
    keeps django-tables2's rules (a value in the column's `empty_values` shows the column's `default`; otherwise
    the table's `render_<column>` method or the column's `render` makes the cell, called with the arguments it
    names) but inspects each render method, and computes each column's cell attributes, once per page. It leaves
    out what these tables do not use: links made by the column, `get_FOO_display` for fields with choices, a
    column's `localize`, row attributes, and render methods that ask for `bound_row`.
    monitor/_table.html renders the rows in django-tables2's own markup.
    """

    class Meta:
        template_name = "monitor/_table.html"

    def page_rows(self) -> list[Row]:
        columns = [(column, column.attrs["td"].as_html(), self._cell_renderer(column)) for column in self.columns]
        rows = []
        for record in self.data:
            row: Row = []
            for column, td_attrs, render in columns:
                value = column.accessor.resolve(record, quiet=True)
                row.append((td_attrs, column.default if value in column.column.empty_values else render(record, value)))
            rows.append(row)
        return rows

    def _cell_renderer(self, column: Any) -> Callable[[Any, Any], object]:
        method = column.render
        wanted, takes_any = signature(method)
        fixed = {"column": column.column, "bound_column": column, "table": self}

        def render(record: Any, value: Any) -> object:
            offered = {"value": value, "record": record, **fixed}
            return method(**(offered if takes_any else {name: offered[name] for name in wanted}))
        return render


def url_maker(name: str) -> Callable[[int], str]:
    """`reverse(name, args=[pk])` for a page of rows at the cost of one reverse(): the URL is made once with a
    marker id, which each row's id replaces."""
    marker = str(URL_MARKER_ID)
    before, found, after = reverse(name, args=[URL_MARKER_ID]).partition(marker)
    if not found:
        raise ValueError(f"URL {name!r} does not put its id in the path")
    return lambda pk: f"{before}{int(pk)}{after}"


class LocalDateTimeColumn(tables.Column):
    """A datetime in the current time zone, formatted as by the `date` filter. django-tables2's DateTimeColumn
    does the same by compiling a template for every cell."""

    def __init__(self, *, format: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.format = format

    def render(self, value: datetime) -> str:
        return date_filter(timezone.localtime(value), self.format)


class StoryTable(PageTable):
    title = tables.Column(orderable=False, attrs={"td": {"class": "title"}})
    lead_source_name = tables.Column(verbose_name="Source", orderable=False, attrs={"td": {"class": "source"}})
    first_published_at = LocalDateTimeColumn(verbose_name="Published", format="j M Y, H:i T", orderable=False,
                                              attrs={"td": {"class": "when"}})
    outlet_count = tables.Column(verbose_name="Outlets", orderable=False, attrs={"td": {"class": "num"},
                                                                                   "th": {"class": "num"}})
    figure_count = tables.Column(verbose_name="Figures", orderable=False, attrs={"td": {"class": "num"},
                                                                                   "th": {"class": "num"}})
    top_organisations = tables.Column(verbose_name="Organisations", orderable=False, empty_values=(),
                                      attrs={"td": {"class": "orgs"}})

    class Meta(PageTable.Meta):
        model = Story
        fields = ("title", "lead_source_name", "first_published_at", "outlet_count", "figure_count",
                  "top_organisations")
        attrs = {"class": "table stories"}
        empty_text = "No stories match. Remove a filter, or widen the dates."

    def render_title(self, record: Story, value: str) -> Any:
        link = format_html('<a href="{}">{}</a>', self._story_url(record.pk), value)
        snippet = getattr(record, "snippet", "")
        return format_html('{}<div class="snippet">{}</div>', link, snippet) if snippet else link

    def render_top_organisations(self, record: Story) -> Any:
        if not record.top_organisations:
            return "—"
        return format_html_join(" ", '<a class="tag org" href="{}" title="{}">{}</a>',
                                ((f"{self._story_list_url}?org={entity_id}", full, short)
                                 for entity_id, short, full in record.top_organisations))

    @cached_property
    def _story_url(self) -> Callable[[int], str]:
        return url_maker("story-detail")

    @cached_property
    def _story_list_url(self) -> str:
        return reverse("story-list")


class FigureTable(PageTable):
    value = tables.Column(verbose_name="Value", orderable=False, attrs={"td": {"class": "num"}})
    counts = tables.Column(verbose_name="Counting", orderable=False)
    subject = tables.Column(verbose_name="Reported by", orderable=False)
    story = tables.Column(verbose_name="Story", orderable=False, attrs={"td": {"class": "title"}})
    source = tables.Column(verbose_name="Outlet", orderable=False)
    sort_key = tables.Column(verbose_name="Published", orderable=False, attrs={"td": {"class": "when"}})

    class Meta(PageTable.Meta):
        model = Figure
        fields = ("value", "counts", "subject", "story", "source", "sort_key")
        attrs = {"class": "table stories figures-table"}
        empty_text = "No figures match. Remove a filter."

    def render_value(self, record: Figure) -> Any:
        number = "~" if record.value is None else f"{record.value:,.15g}"
        return format_html('<span title="{}">{}{}{}</span>', record.text,
                           f"{record.qualifier} " if record.qualifier else "", number,
                           f" {record.unit}" if record.unit else "")

    def render_subject(self, record: Figure) -> Any:
        if record.subject_entity_id:
            return format_html('<a href="{}">{}</a>', self._entity_url(record.subject_entity_id), record.subject)
        return record.subject or "—"

    def render_story(self, record: Figure) -> Any:
        if record.story is None:
            return "—"
        return format_html('<a href="{}">{}</a>', self._story_url(record.story.pk), record.story.title)

    def render_sort_key(self, record: Figure) -> Any:
        story = record.story
        if story is None or story.first_published_at is None:
            return "—"
        return date_filter(timezone.localtime(story.first_published_at), "j M Y")

    @cached_property
    def _story_url(self) -> Callable[[int], str]:
        return url_maker("story-detail")

    @cached_property
    def _entity_url(self) -> Callable[[int], str]:
        return url_maker("entity-detail")
