"""The sources pages for admins: health list, add (check, pick, preview, save), source page, edit, actions, OPML.

Thin: each view reads its form, calls one function of sources.adding, sources.actions, sources.health or
sources.opml, and renders. Every view needs `sources.change_source` (the admin role); anyone else signed in
gets 403, and LoginRequiredMiddleware sends anonymous visitors to the login page first.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core import signing
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.views import View

from sources import actions
from sources.adding import (DuplicateSource, FeedChoice, FeedPreview, InvalidSource, add_source, check_address,
                            ensure_new)
from sources.forms import AddressForm, HealthFilterForm, OpmlUploadForm, SourceDetailsForm, SourceEditForm
from sources.health import CHART_DAYS, HealthFilters, health_page, last_success_words, source_rows, today_utc
from sources.models import PollRecord, Source, SourceChange, SourceGroup
from sources.opml import MalformedOPML, export_opml, import_opml

# A checked address is carried from the preview to "save" signed, so "save" stores only what was checked.
CHECKED_SALT = "sources.add.checked"
CHECKED_MAX_AGE = 3600
RECENT_POLLS = 20
RECENT_CHANGES = 50


class SourceAdminMixin(PermissionRequiredMixin):
    permission_required = "sources.change_source"
    raise_exception = True


class HealthView(SourceAdminMixin, View):
    """/sources/: every source's health, a page at a time, filterable."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = HealthFilterForm(request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        group = data.get("group")
        filters = HealthFilters(query=data.get("q", ""), health=data.get("health", ""),
                                group_id=group.pk if group else None, source_type=data.get("type", ""),
                                reliability=data.get("grade", ""), volume_changed=bool(data.get("changed")))
        page = health_page(filters, after=_int(request.GET.get("after")), before=_int(request.GET.get("before")))
        kept = {k: v for k, v in request.GET.items() if k not in ("after", "before", "health") and v}
        tabs = []  # (value, label, count, link) of each health state, "all" first
        for value, label in [("", "all")] + [(h.value, h.label) for h in Source.Health]:
            link = "?" + urlencode({**kept, "health": value} if value else kept)
            tabs.append((value, label, page.tallies.get(value or "all", 0), link))
        kept_with_health = {**kept, **({"health": filters.health} if filters.health else {})}
        return render(request, "sources/health.html", {
            "form": form, "page": page, "filters": filters, "tabs": tabs, "chart_days": CHART_DAYS,
            "newer_link": "?" + urlencode({**kept_with_health, "before": page.before}) if page.before else "",
            "older_link": "?" + urlencode({**kept_with_health, "after": page.after}) if page.after else "",
            "here": request.get_full_path(), "export_query": urlencode({"group": group.pk}) if group else "",
            "form_errors": form.errors if form.is_bound and not form.is_valid() else None,
        })


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


class AddSourceView(SourceAdminMixin, View):
    """/sources/add/: check an address, pick a feed when it is a web page, preview it, save it."""

    template = "sources/add.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template, {"form": AddressForm(initial={"url": request.GET.get("url", "")})})

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("step") == "save":
            return self.save(request)
        form = AddressForm(request.POST)
        context: dict[str, Any] = {"form": form}
        if not form.is_valid():
            return render(request, self.template, context, status=200)
        try:
            checked = check_address(form.cleaned_data["url"])
        except DuplicateSource as exc:
            context.update(problem=str(exc), existing=exc.existing)
            return render(request, self.template, context)
        except InvalidSource as exc:
            context["problem"] = str(exc)
            return render(request, self.template, context)
        if isinstance(checked, FeedChoice):
            context["choice"] = checked
            return render(request, self.template, context)
        return self.preview(request, checked, form)

    def preview(self, request: HttpRequest, preview: FeedPreview, form: AddressForm) -> HttpResponse:
        token = signing.dumps({"url": preview.url, "title": preview.title, "items": preview.item_count,
                               "language": preview.language}, salt=CHECKED_SALT)
        details = SourceDetailsForm(initial={"name": preview.title[:200], "site_url": preview.site_url,
                                             "language": preview.language[:20]})
        return render(request, self.template, {"form": form, "preview": preview, "details": details,
                                               "checked": token})

    def save(self, request: HttpRequest) -> HttpResponse:
        try:
            checked = signing.loads(request.POST.get("checked", ""), salt=CHECKED_SALT, max_age=CHECKED_MAX_AGE)
        except signing.BadSignature:
            messages.error(request, "That check is over an hour old or was altered; check the address again.")
            return redirect("sources:add")
        url = str(checked["url"])
        details = SourceDetailsForm(request.POST)
        context: dict[str, Any] = {"form": AddressForm(initial={"url": url}), "checked": request.POST["checked"],
                                   "details": details, "summary": checked}
        if not details.is_valid():
            return render(request, self.template, context)
        try:
            ensure_new(url)
            with transaction.atomic():
                data = details.cleaned_data
                source, created = add_source(
                    url, name=data["name"], site_url=data["site_url"], language=data["language"],
                    country=data["country"], source_type=data["source_type"], reliability=data["reliability"],
                    interval_minutes=data["pinned_interval_minutes"], groups=details.all_groups(), user=request.user,
                    detail=f"checked: {checked['title'] or 'untitled feed'}, {checked['items']} items")
        except DuplicateSource as exc:
            context.update(problem=str(exc), existing=exc.existing)
            return render(request, self.template, context)
        except InvalidSource as exc:
            context["problem"] = str(exc)
            return render(request, self.template, context)
        if created:
            messages.success(request, f"{source} added. The worker polls it within a minute; its stories appear "
                                      "once its articles are extracted and tagged.")
        else:
            messages.info(request, f"{source} was already followed.")
        return redirect("sources:detail", pk=source.pk)


class SourceDetailView(SourceAdminMixin, View):
    """/sources/<id>/: one source: its settings, health, recent polls and the changes made to it."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        source = get_object_or_404(Source.objects.prefetch_related("groups"), pk=pk)
        row = source_rows([source], today=today_utc())[0]
        polls = list(PollRecord.objects.filter(source=source).order_by("-started_at")[:RECENT_POLLS])
        changes = list(SourceChange.objects.filter(source=source).select_related("user")
                       .order_by("-at", "-id")[:RECENT_CHANGES])
        return render(request, "sources/detail.html", {
            "source": source, "row": row, "polls": polls, "changes": changes, "chart_days": CHART_DAYS,
            "last_success": last_success_words(source), "here": request.get_full_path()})


# Fields whose change is recorded, with their labels; groups are compared separately.
EDIT_FIELDS = ["url", "name", "site_url", "source_type", "reliability", "language", "country",
               "pinned_interval_minutes"]


class SourceEditView(SourceAdminMixin, View):
    """/sources/<id>/edit/: change what an admin says about a source (and its address)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        source = get_object_or_404(Source, pk=pk)
        return render(request, "sources/edit.html", {"source": source, "form": SourceEditForm(instance=source)})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        source = get_object_or_404(Source, pk=pk)
        before = {name: getattr(source, name) for name in EDIT_FIELDS}
        groups_before = {g.name for g in source.groups.all()}
        form = SourceEditForm(request.POST, instance=source)
        if not form.is_valid():
            return render(request, "sources/edit.html", {"source": source, "form": form})
        with transaction.atomic():
            edited: Source = form.save(commit=False)
            if edited.pinned_interval_minutes:
                edited.interval_minutes = edited.pinned_interval_minutes
            if edited.url != before["url"]:
                # A new address is a new feed to the poller: forget the old one's validators and errors.
                edited.etag = edited.last_modified = edited.body_hash = ""
                edited.clear_errors()
            edited.save()
            groups = form.all_groups()
            edited.groups.set(groups)
            changes = {name: (before[name], getattr(edited, name)) for name in EDIT_FIELDS
                       if before[name] != getattr(edited, name)}
            groups_after = {g.name for g in groups}
            if groups_after != groups_before:
                changes["groups"] = (sorted(groups_before), sorted(groups_after))
            actions.record_edit(edited, changes, user=request.user)
        messages.success(request, f"{edited} saved." if changes else "Nothing was changed.")
        return redirect("sources:detail", pk=edited.pk)


class SourceActionView(SourceAdminMixin, View):
    """POST /sources/<id>/<action>/: poll now, enable, disable, clear errors; then back where the admin was."""

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        source = get_object_or_404(Source, pk=pk)
        try:
            if action == "poll":
                message = actions.poll_now(source, user=request.user)
            elif action in ("enable", "disable"):
                message = actions.set_enabled(source, action == "enable", user=request.user)
            elif action == "clear-errors":
                message = actions.clear_errors(source, user=request.user)
            else:
                return HttpResponse(f"Unknown action {action!r}.", status=404, content_type="text/plain")
        except actions.ActionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, message)
        back = request.POST.get("next", "")
        if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                                    require_https=request.is_secure()):
            return HttpResponseRedirect(back)
        return redirect("sources:detail", pk=source.pk)


class ImportOpmlView(SourceAdminMixin, View):
    """/sources/import/: add the feeds of an OPML file, with groups from its folders."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "sources/import.html", {"form": OpmlUploadForm(),
                                                       "groups": SourceGroup.objects.order_by("name")})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = OpmlUploadForm(request.POST, request.FILES)
        context: dict[str, Any] = {"form": form, "groups": SourceGroup.objects.order_by("name")}
        if form.is_valid():
            file_name = str(getattr(request.FILES.get("file"), "name", "") or "the file")
            try:
                context["report"] = import_opml(form.cleaned_data["file"], user=request.user, file_name=file_name)
            except MalformedOPML as exc:
                context["problem"] = f"{file_name}: {exc}."
        return render(request, "sources/import.html", context)


class ExportOpmlView(SourceAdminMixin, View):
    """/sources/export.opml[?group=ID]: every source, or one group's, as an OPML file."""

    def get(self, request: HttpRequest) -> HttpResponse:
        group = None
        if request.GET.get("group"):
            group = get_object_or_404(SourceGroup, pk=_int(request.GET["group"]) or 0)
            sources = group.sources.order_by("name", "id")
        else:
            sources = Source.objects.order_by("name", "id").prefetch_related("groups")
        title = f"Monitor sources: {group.name}" if group else "Monitor sources"
        body = export_opml(sources, title=title, group=group)
        name = f"monitor-sources-{slugify(group.name) or group.pk}.opml" if group else "monitor-sources.opml"
        response = HttpResponse(body, content_type="text/x-opml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

