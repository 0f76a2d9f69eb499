"""The story list table (django-tables2)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from monitor.models import Story


class StoryTable(tables.Table):
    title = tables.Column(linkify=lambda record: reverse("story-detail", args=[record.pk]), attrs={"td": {"class": "title"}})
    source = tables.Column(empty_values=(), orderable=False, verbose_name="Source")
    first_published_at = tables.DateTimeColumn(verbose_name="Published", format="j M Y, H:i")
    outlet_count = tables.Column(verbose_name="Outlets", attrs={"td": {"class": "num"}})
    organisations = tables.Column(empty_values=(), orderable=False, verbose_name="Organisations")

    class Meta:
        model = Story
        fields = ("title", "source", "first_published_at", "outlet_count", "organisations")
        order_by = ("-first_published_at",)
        attrs = {"class": "table stories"}
        empty_text = "No stories match. Clear the filters, or add sources and wait for the next poll."

    def render_source(self, record: Story) -> str:
        first = record.first_article
        return str(first.source) if first is not None else "—"

    def render_organisations(self, record: Story) -> Any:
        orgs = getattr(record, "organisation_names", [])
        if not orgs:
            return "—"
        return format_html_join(" ", '<span class="tag org" title="{}">{}</span>', ((full, short) for short, full in orgs))
