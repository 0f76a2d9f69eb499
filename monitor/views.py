"""Dashboard views. Thin: read parameters (monitor.filters), ask monitor.story_query or the ORM along an index,
render. Every view needs the analyst role (`monitor.view_story`); exports need `monitor.export_story`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict, StreamingHttpResponse
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView

from monitor import story_query
from monitor.charts import weekly_bars
from monitor.figures import disagreements
from monitor.filters import FigureFilter, ReadFilters, StoryFilter, read_story_filters
from monitor.links import at_position, with_param, without_param
from monitor.models import (Entity, EntityDay, EntityName, Figure, Mention, RetagJob, Story, StoryCorrection,
                            time_of_sort_key)
from monitor.query_budget import QueryTooSlow, time_limit
from monitor.search import snippet
from monitor.status import pipeline_status
from monitor.stories import CorrectionError, merge_stories, merged_into, split_article
from monitor.story_evidence import describe
from monitor.story_index import name_key
from monitor.tables import FigureTable, StoryTable
from sources.extraction import sanitize_html
from sources.models import Article, Source

TOO_SLOW = ("This request took too long and was stopped. Narrow it: add an organisation or a date range, or "
            "search for rarer words.")
FIGURES_PER_PAGE = 50
EXPORT_MAX_ROWS = 200_000


class AnalystMixin(PermissionRequiredMixin):
    permission_required: str | tuple[str, ...] = "monitor.view_story"
    raise_exception = True


class StoryListView(AnalystMixin, View):
    """The home page: stories, newest first (or best match), filtered by URL parameters."""

    def get(self, request: HttpRequest) -> HttpResponse:
        read = read_story_filters(request.GET)
        context = story_page(read, request)
        context["filter"] = StoryFilter(request.GET, queryset=Story.objects.none())
        context["chips"] = filter_chips(read, request.GET)
        # Entity and source filters already chosen ride along as hidden fields when the form changes.
        context["kept_filters"] = [(name, value) for name in ("org", "person", "place", "source")
                                   for value in request.GET.getlist(name) if value.strip()]
        context["status"] = pipeline_status()
        template = "monitor/_story_results.html" if request.headers.get("HX-Request") else "monitor/story_list.html"
        return render(request, template, context)


def story_page(read: ReadFilters, request: HttpRequest) -> dict[str, Any]:
    """One page of the story list as template context: rows, cursors, notes, an estimate of the total."""
    context: dict[str, Any] = {"read": read, "notes": read.notes, "query_error": read.query_error,
                               "stories": [], "older": None, "newer": None, "estimate": None, "too_slow": False}
    if read.query_error:
        context["table"] = StoryTable([])
        return context
    filters = read.filters
    try:
        with time_limit():
            if read.sort == "relevance":
                offset = (read.page - 1) * read.per_page
                keys = story_query.ranked_story_keys(filters, offset=offset, limit=read.per_page + 1)
                context["next_page"] = read.page + 1 if len(keys) > read.per_page else None
                context["previous_page"] = read.page - 1 if read.page > 1 else None
                keys = keys[:read.per_page]
            else:
                oldest = read.sort == "oldest"
                keys = story_query.story_keys(filters, limit=read.per_page + 1, after=read.after, before=read.before,
                                              oldest_first=oldest)
                more = len(keys) > read.per_page
                keys = keys[1:] if (more and read.before is not None) else keys[:read.per_page]
                if keys:
                    context["older"] = keys[-1] if (more or read.before is not None) else None
                    context["newer"] = keys[0] if (read.after is not None or (more and read.before is not None)) else None
            stories = story_query.stories_for(keys)
            first_page = read.after is None and read.before is None and read.page == 1
            if first_page and context["older"] is None and not context.get("next_page"):
                context["estimate"] = story_query.Estimate(len(stories), exact=True)  # it all fits on one page
            else:
                context["estimate"] = story_query.estimate(filters)
    except QueryTooSlow:
        context.update(too_slow=True, table=StoryTable([]))
        return context
    if filters.query is not None:
        documents = dict(Story.objects.filter(pk__in=[s.pk for s in stories]).values_list("pk", "search__document"))
        for story in stories:
            story.snippet = snippet(documents.get(story.pk) or "", filters.query)  # type: ignore[attr-defined]
    context["stories"] = stories
    context["table"] = StoryTable(stories)
    params = request.GET
    if context["older"] is not None:
        context["older_link"] = "?" + at_position(params, after=context["older"])
    if context["newer"] is not None:
        context["newer_link"] = "?" + at_position(params, before=context["newer"])
    if context.get("next_page"):
        context["older_link"] = "?" + at_position(params, page=context["next_page"])
    if context.get("previous_page"):
        context["newer_link"] = "?" + at_position(params, page=context["previous_page"])
    context["query_string"] = at_position(params)
    return context


def filter_chips(read: ReadFilters, params: QueryDict) -> list[tuple[str, str, str]]:
    """The filters in force as (kind, label, link that removes it)."""
    chips = [(chosen.entity.kind, chosen.entity.acronym or chosen.entity.name,
              "?" + without_param(params, chosen.param, params_value(params, chosen.param, chosen.entity)))
             for chosen in read.entities]
    chips += [("source", str(source), "?" + without_param(params, "source", params_value(params, "source", source)))
              for source in read.sources]
    if read.filters.query is not None:
        chips.append(("q", f"“{read.filters.query.text}”", "?" + without_param(params, "q")))
    for name, value in (("since", read.filters.since), ("until", read.filters.until)):
        if value:
            chips.append(("date", f"{'from' if name == 'since' else 'until'} {value:%d %b %Y}",
                          "?" + without_param(params, name)))
    if read.filters.has_figures:
        chips.append(("figures", "with figures", "?" + without_param(params, "has_figures")))
    for label in read.source_kinds:
        kind, _, chosen = label.partition(": ")
        chips.append(("source", f"source {label}", "?" + without_param(params, kind, chosen)))
    if read.filters.language:
        chips.append(("language", f"language: {read.filters.language}", "?" + without_param(params, "language")))
    return chips


def params_value(params: QueryDict, name: str, target: Entity | Source) -> str:
    """Which of the parameter's values named this entity or source (an id, or one of its names)."""
    for value in params.getlist(name):
        if value.strip() == str(target.pk) or name_key(value) in {name_key(str(target)), name_key(
                getattr(target, "name", "")), name_key(getattr(target, "acronym", "") or "")}:
            return value
    return str(target.pk)


class FacetsView(AnalystMixin, View):
    """The sidebar of facet counts for the current filters (loaded by htmx after the list)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        read = read_story_filters(request.GET)
        context: dict[str, Any] = {"read": read, "facets": None, "too_slow": False}
        if not read.query_error:
            try:
                with time_limit():
                    facets = story_query.facets(read.filters, leave_out=set(read.filters.entity_ids))
            except QueryTooSlow:
                context["too_slow"] = True
            else:
                context["facets"] = facets
                context["groups"] = [
                    (title, [(facet, "?" + with_param(request.GET, param, facet.id)) for facet in items])
                    for title, param, items in (("Organisations", "org", facets.organisations),
                                                ("People", "person", facets.people),
                                                ("Places", "place", facets.places),
                                                ("Sources", "source", facets.sources)) if items]
        return render(request, "monitor/_facets.html", context)


class StoryDetailView(AnalystMixin, DetailView):  # type: ignore[type-arg]
    model = Story
    template_name = "monitor/story_detail.html"
    context_object_name = "story"

    def get_queryset(self) -> QuerySet[Story]:
        return Story.objects.all()

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not Story.objects.filter(pk=kwargs["pk"]).exists():
            target = merged_into(kwargs["pk"])  # an analyst merged it away: its address leads to where it went
            if target is not None:
                return redirect("story-detail", pk=target)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        story: Story = self.object
        articles = list(Article.objects.filter(story_link__story=story).select_related("source", "story_link")
                        .order_by("published_at", "id"))
        lead = story.first_article if story.first_article in articles else (articles[0] if articles else None)
        context["lead"] = lead
        context["articles"] = articles
        context["others"] = [a for a in articles if a != lead]
        titles = {a.pk: f"{a.source} ({a.title[:80]})" for a in articles}
        context["copies"] = [(a, why_grouped(a.story_link.evidence, titles)) for a in articles]
        context["can_correct"] = self.request.user.has_perm("monitor.correct_story")
        context["corrections"] = list(StoryCorrection.objects.filter(story_id_kept=story.pk)
                                      .select_related("made_by")[:20])
        context["figures"] = list(Figure.objects.filter(article__in=articles).select_related("article__source",
                                                                                           "subject_entity")
                                  .order_by("article__published_at", "start"))
        if lead is not None:
            mentions = list(Mention.objects.filter(article__in=articles).select_related("entity"))
            paragraphs = highlight_paragraphs(lead.text, [m for m in mentions if m.article_id == lead.pk])
            if paragraphs and "".join(piece for piece, _ in paragraphs[0]).strip() == lead.title.strip():
                paragraphs = paragraphs[1:]  # extraction often keeps the headline, which the page already shows
            context["paragraphs"] = paragraphs
            context["entities"] = group_entities(mentions)
            context["summary_html"] = sanitize_html(lead.summary_html)
        return context


def why_grouped(evidence: dict[str, Any], titles: dict[int, str]) -> str:
    """What the story page says about how an article joined its story (or why it founded it)."""
    if not evidence:
        return ""
    if evidence.get("rule") == "no-earlier-report":
        closest = evidence.get("closest")
        if not closest:
            return "No earlier report was close enough to compare with."
        return f"Founded this story. Closest earlier article not joined ({describe(closest)})."
    if evidence.get("rule") == "first-report-veto":
        return (f"Founded this story: it matched article {evidence.get('matched')} ({describe(evidence.get('verdict', {}))}), but that "
                f"story's first report disagreed ({describe(evidence.get('first_verdict', {}))}).")
    if evidence.get("rule") in ("analyst-split", "analyst-merge"):
        return f"{describe(evidence)}{' (' + evidence['by'] + ')' if evidence.get('by') else ''}."
    matched = titles.get(evidence.get("matched", -1))
    return f"Grouped as {describe(evidence)}{'; matched ' + matched if matched else ''}."


class SplitArticleView(AnalystMixin, View):
    """POST: moves one article out of its story into a story of its own."""

    permission_required = ("monitor.view_story", "monitor.correct_story")

    def post(self, request: HttpRequest, pk: int, article_id: int) -> HttpResponse:
        article = get_object_or_404(Article, pk=article_id, story_link__story_id=pk)
        try:
            new = split_article(article, by=request.user if request.user.is_authenticated else None)
        except CorrectionError as error:
            messages.error(request, str(error))
            return redirect("story-detail", pk=pk)
        messages.success(request, f"Split out “{article.title[:120]}” into a story of its own. "
                                  "Clustering will leave it there.")
        return redirect("story-detail", pk=new.pk)


class MergeStoriesView(AnalystMixin, View):
    """POST `other` (a story number or its address): moves that story's articles into this one."""

    permission_required = ("monitor.view_story", "monitor.correct_story")

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        get_object_or_404(Story, pk=pk)
        raw = request.POST.get("other", "").strip()
        other_id = story_number(raw)
        other = Story.objects.filter(pk=other_id).first() if other_id is not None else None
        if other is None:
            messages.error(request, f"No story “{raw[:100]}”. Paste the other story's address "
                                    "(…/stories/123/) or its number, then merge again.")
            return redirect("story-detail", pk=pk)
        try:
            merge_stories(pk, other.pk, by=request.user if request.user.is_authenticated else None)
        except CorrectionError as error:
            messages.error(request, str(error))
            return redirect("story-detail", pk=pk)
        messages.success(request, f"Merged “{other.title[:120]}” into this story.")
        return redirect("story-detail", pk=pk)


def story_number(raw: str) -> int | None:
    """12, "#12" or an address ending in /stories/12/ → 12."""
    digits = raw.rstrip("/").rsplit("/", 1)[-1].lstrip("#")
    return int(digits) if digits.isdigit() and len(digits) < 18 else None


class EntityDetailView(AnalystMixin, DetailView):  # type: ignore[type-arg]
    """An organisation, person or place: its names, a weekly chart, who it appears with, its figures, its stories."""

    model = Entity
    template_name = "monitor/entity_detail.html"
    context_object_name = "entity"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        entity: Entity = self.object
        since = timezone.now().date() - timedelta(weeks=52)
        days = EntityDay.objects.filter(entity=entity, day__gte=since).values_list("day", "stories")
        context["chart"] = weekly_bars(dict(days), weeks=52, today=timezone.now().date())
        context["names"] = sorted({alias for alias in entity.aliases if alias not in (entity.name, entity.acronym)})
        read = read_story_filters(self.request.GET.copy())
        read.filters.entity_ids = [entity.pk, *[e for e in read.filters.entity_ids if e != entity.pk]]
        context["param"] = {"org": "org", "person": "person"}.get(entity.kind, "place")
        try:
            with time_limit():
                context["facets"] = story_query.facets(read.filters, leave_out={entity.pk})
                keys = story_query.story_keys(read.filters, limit=20)
                context["stories"] = story_query.stories_for(keys)
                context["figures"] = list(Figure.objects.filter(subject_entity=entity).order_by("-sort_key")
                                          .select_related("story", "source")[:20])
        except QueryTooSlow:
            context["too_slow"] = True
        context["notes"] = read.notes
        return context


class EntityAutocompleteView(AnalystMixin, View):
    """Names that start with what was typed, most-reported first: options for the filter boxes' datalists."""

    def get(self, request: HttpRequest) -> HttpResponse:
        kind_param = request.GET.get("kind", "")
        # htmx sends the box's own value under the box's name (org=…, subject=…); a script may send q=…
        raw = request.GET.get("q") or next(
            (request.GET[name] for name in ("org", "person", "place", "subject") if request.GET.get(name)), "")
        typed = name_key(raw)[:100]
        kind = {"org": Entity.Kind.ORGANISATION, "person": Entity.Kind.PERSON, "place": Entity.Kind.PLACE}.get(
            kind_param, "")
        entities: list[Entity] = []
        if len(typed) >= 2:
            with time_limit():
                # A range, not LIKE: SQLite's LIKE ignores case and so cannot use the index on the (case-folded) key.
                ids = list(EntityName.objects.filter(key__gte=typed, key__lt=typed + "\U0010ffff")
                           .values_list("entity_id", flat=True)[:200])
                found = Entity.objects.filter(pk__in=ids)
                if kind:
                    found = found.filter(kind=kind)
                entities = list(found.order_by("-story_count", "name")[:10])
        if request.GET.get("format") == "json":
            return JsonResponse({"results": [{"id": e.pk, "name": e.name, "acronym": e.acronym, "kind": e.kind,
                                              "stories": e.story_count} for e in entities]})
        return render(request, "monitor/_autocomplete.html", {"entities": entities})


class FigureListView(AnalystMixin, View):
    """The figures explorer: every figure, filterable, newest first, with disagreements side by side."""

    def get(self, request: HttpRequest) -> HttpResponse:
        figure_filter = FigureFilter(request.GET, queryset=Figure.objects.exclude(sort_key=None))
        context: dict[str, Any] = {"filter": figure_filter, "too_slow": False, "figures": [], "older": None}
        notes: list[str] = []
        cursor = read_figure_cursor(request.GET.get("after", ""), notes)
        try:
            with time_limit():
                queryset = figures_after(figure_filter.qs, cursor).select_related("story", "source", "subject_entity")
                figures = list(queryset[:FIGURES_PER_PAGE + 1])
                if len(figures) > FIGURES_PER_PAGE:
                    figures = figures[:FIGURES_PER_PAGE]
                    context["older"] = f"{figures[-1].sort_key}:{figures[-1].pk}"
                context["figures"] = figures
                context["disagreements"] = disagreements(figures)
        except QueryTooSlow:
            context["too_slow"] = True
        if not figure_filter.form.is_valid():
            notes.extend(f"{name}: {' '.join(errors)} It is ignored." for name, errors in figure_filter.form.errors.items())
        context["notes"] = notes + getattr(figure_filter, "notes", [])
        context["table"] = FigureTable(context["figures"])
        template = "monitor/_figure_results.html" if request.headers.get("HX-Request") else "monitor/figure_list.html"
        return render(request, template, context)


class ExportStoriesView(AnalystMixin, View):
    """The story list's current filter as CSV or JSON lines, streamed a batch at a time."""

    permission_required = "monitor.export_story"

    def get(self, request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
        read = read_story_filters(request.GET)
        if read.query_error:
            return HttpResponse(read.query_error, status=400, content_type="text/plain; charset=utf-8")
        rows = _story_rows(read, request)
        return _stream(rows, fmt, "stories", ["id", "title", "first_published_at", "outlets", "articles", "figures",
                                              "language", "lead_source", "organisations", "url"])


class ExportFiguresView(AnalystMixin, View):
    permission_required = "monitor.export_story"

    def get(self, request: HttpRequest, fmt: str) -> StreamingHttpResponse:
        figure_filter = FigureFilter(request.GET, queryset=Figure.objects.exclude(sort_key=None))
        return _stream(_figure_rows(figure_filter.qs, request), fmt, "figures",
                       ["id", "value", "unit", "counts", "qualifier", "approx", "text", "subject", "story_id",
                        "source", "published", "sentence"])


def _story_rows(read: ReadFilters, request: HttpRequest) -> Iterator[dict[str, object]]:
    base = request.build_absolute_uri("/")[:-1]
    for keys in story_query.iter_story_keys(read.filters, most=EXPORT_MAX_ROWS):
        with time_limit():
            stories = story_query.stories_for(keys)
        for story in stories:
            yield {"id": story.pk, "title": story.title,
                   "first_published_at": story.first_published_at.isoformat() if story.first_published_at else "",
                   "outlets": story.outlet_count, "articles": story.article_count, "figures": story.figure_count,
                   "language": story.language, "lead_source": story.lead_source_name,
                   "organisations": "; ".join(full for _, _, full in story.top_organisations),
                   "url": base + reverse("story-detail", args=[story.pk])}


def _figure_rows(queryset: QuerySet[Figure], request: HttpRequest) -> Iterator[dict[str, object]]:
    cursor: tuple[int, int] | None = None
    sent = 0
    zone = timezone.get_current_timezone()
    while sent < EXPORT_MAX_ROWS:
        with time_limit():
            batch = list(figures_after(queryset, cursor).select_related("source")[:500])
        if not batch:
            return
        for figure in batch:
            published = (datetime.fromtimestamp(time_of_sort_key(figure.sort_key), tz=zone).isoformat()
                         if figure.sort_key else "")
            yield {"id": figure.pk, "value": figure.value, "unit": figure.unit, "counts": figure.counts,
                   "qualifier": figure.qualifier, "approx": figure.approx, "text": figure.text,
                   "subject": figure.subject, "story_id": figure.story_id,
                   "source": str(figure.source) if figure.source else "", "published": published,
                   "sentence": figure.sentence}
        sent += len(batch)
        cursor = (batch[-1].sort_key or 0, batch[-1].pk)


def figures_after(queryset: QuerySet[Figure], cursor: tuple[int, int] | None) -> QuerySet[Figure]:
    """Figures after a (sort key, id) cursor, newest first. Figures of one story share a sort key, hence the id."""
    queryset = queryset.order_by("-sort_key", "-id")
    if cursor is None:
        return queryset
    key, figure_id = cursor
    return queryset.filter(Q(sort_key__lt=key) | Q(sort_key=key, id__lt=figure_id))


def read_figure_cursor(raw: str, notes: list[str]) -> tuple[int, int] | None:
    key, _, figure_id = raw.partition(":")
    if key.isdigit() and figure_id.isdigit() and len(key) <= 19 and len(figure_id) <= 19:
        return int(key), int(figure_id)
    if raw:
        notes.append(f"after={raw[:30]} is not a page position this list made; showing the first page.")
    return None


class _Echo:
    def write(self, value: str) -> str:
        return value


def _stream(rows: Iterator[dict[str, object]], fmt: str, name: str,
            columns: list[str]) -> StreamingHttpResponse:
    if fmt == "csv":
        writer = csv.DictWriter(_Echo(), fieldnames=columns, extrasaction="ignore")
        body: Iterator[str] = (line for part in ([writer.writeheader()], (writer.writerow(r) for r in rows))
                               for line in part)
        content_type = "text/csv; charset=utf-8"
    elif fmt == "json":
        body = (json.dumps(row, ensure_ascii=False, default=str) + "\n" for row in rows)
        content_type = "application/x-ndjson; charset=utf-8"
    else:
        raise Http404("Export as .csv or .json")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="monitor-{name}-{stamp}.{fmt}"'
    return response


def group_entities(mentions: list[Mention]) -> dict[str, list[tuple[Entity, int]]]:
    """Entities of each kind with their mention counts, most mentioned first."""
    tally: dict[int, tuple[Entity, int]] = {}
    for mention in mentions:
        entity, n = tally.get(mention.entity_id, (mention.entity, 0))
        tally[mention.entity_id] = (entity, n + 1)
    groups: dict[str, list[tuple[Entity, int]]] = {"organisations": [], "people": [], "places": []}
    names = {Entity.Kind.ORGANISATION: "organisations", Entity.Kind.PERSON: "people", Entity.Kind.PLACE: "places"}
    for entity, n in sorted(tally.values(), key=lambda pair: (-pair[1], pair[0].name)):
        groups[names[Entity.Kind(entity.kind)]].append((entity, n))
    return groups


def highlight_paragraphs(text: str, mentions: list[Mention]) -> list[list[tuple[str, Mention | None]]]:
    """Splits the text into paragraphs of (piece, mention or None), so the template can mark entities safely."""
    paragraphs: list[list[tuple[str, Mention | None]]] = []
    ordered = sorted(mentions, key=lambda m: m.start)
    offset = 0
    for block in text.split("\n\n"):
        start, end = offset, offset + len(block)
        offset = end + 2
        if not block.strip():
            continue
        pieces: list[tuple[str, Mention | None]] = []
        cursor = start
        for mention in ordered:
            if mention.start < cursor or mention.end > end:
                continue
            pieces.append((text[cursor:mention.start], None))
            pieces.append((text[mention.start:mention.end], mention))
            cursor = mention.end
        pieces.append((text[cursor:end], None))
        paragraphs.append(pieces)
    return paragraphs


def error_page(template: str, status: int) -> Any:
    """A styled error page with navigation. The 500 page is rendered without a request context on purpose."""
    def view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
        if status == 500:
            return HttpResponse(loader.get_template(template).render(), status=500)
        return render(request, template, {"status_code": status}, status=status)
    return view


class RetagJobView(PermissionRequiredMixin, DetailView):  # type: ignore[type-arg]
    """A re-tagging job's progress; the page refreshes its progress bar every two seconds while it runs."""

    permission_required = "monitor.change_gazetteerentry"
    raise_exception = True
    model = RetagJob
    context_object_name = "job"

    def get_template_names(self) -> list[str]:
        if self.request.headers.get("HX-Request"):
            return ["monitor/_retag_progress.html"]
        return ["monitor/retag_job.html"]
