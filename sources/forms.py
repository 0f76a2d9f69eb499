"""Forms of the sources pages: the address to check, the details to save, an edit, an OPML upload, the filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from sources.adding import DuplicateSource, ensure_new, groups_named
from sources.models import Source, SourceGroup, feed_url_problem
from sources.opml import MAX_OPML_BYTES


class AddressForm(forms.Form):
    url = forms.CharField(label="Address of a feed or a web site", max_length=2000,
                          widget=forms.TextInput(attrs={"placeholder": "https://www.dawn.com/ or https://example.org/feed.xml",
                                                        "autofocus": True, "size": 60}))

    def clean_url(self) -> str:
        url = str(self.cleaned_data["url"]).strip()
        if url and "://" not in url and "." in url.split("/")[0]:
            url = "https://" + url  # a bare "dawn.com": what people paste
        problem = feed_url_problem(url)
        if problem is not None:
            raise forms.ValidationError(problem)
        return url


class SourceDetailsForm(forms.ModelForm):  # type: ignore[type-arg]
    """What an admin says about a source: shared by the add page's last step and the edit page."""

    new_groups = forms.CharField(label="New groups", required=False, max_length=500,
                                 help_text="Names separated by commas; they are created.")
    pinned_interval_minutes = forms.IntegerField(
        label="Poll interval (minutes)", required=False, min_value=1,
        help_text="Empty: automatic (it adapts to how often the feed changes). A number pins it.")

    class Meta:
        model = Source
        fields = ["name", "site_url", "groups", "source_type", "reliability", "language", "country",
                  "pinned_interval_minutes"]
        widgets = {"groups": forms.CheckboxSelectMultiple, "name": forms.TextInput(attrs={"size": 40}),
                   "site_url": forms.TextInput(attrs={"size": 40}), "language": forms.TextInput(attrs={"size": 6}),
                   "country": forms.TextInput(attrs={"size": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups = self.fields["groups"]
        assert isinstance(groups, forms.ModelMultipleChoiceField)
        groups.queryset = SourceGroup.objects.order_by("name")
        groups.required = False
        source_type = self.fields["source_type"]
        assert isinstance(source_type, forms.ChoiceField)
        source_type.choices = [("", "not set")] + list(Source.SourceType.choices)
        self.fields["reliability"].required = False  # left out: F, "cannot be judged"

    def clean_reliability(self) -> str:
        return str(self.cleaned_data.get("reliability") or Source.Reliability.F)

    def clean_language(self) -> str:
        return str(self.cleaned_data.get("language") or "").strip().lower()

    def clean_country(self) -> str:
        return str(self.cleaned_data.get("country") or "").strip().upper()

    def clean_pinned_interval_minutes(self) -> int | None:
        minutes = self.cleaned_data.get("pinned_interval_minutes")
        ceiling = settings.MONITOR_MAX_INTERVAL_MINUTES
        if minutes is not None and not 1 <= minutes <= ceiling:
            raise forms.ValidationError(f"Give 1 to {ceiling} minutes (MONITOR_MAX_INTERVAL_MINUTES), or leave it "
                                        "empty for automatic.")
        return minutes

    def all_groups(self) -> list[SourceGroup]:
        """The ticked groups and the new ones (created now)."""
        chosen = list(self.cleaned_data.get("groups") or [])
        created = groups_named(self.cleaned_data.get("new_groups", "").split(","))
        return chosen + [g for g in created if g not in chosen]


class NewFeedUrlMixin:
    """clean_url for any Source form: refuses an address another source already has, in any spelling."""

    cleaned_data: dict[str, Any]
    instance: Source

    def clean_url(self) -> str:
        url = str(self.cleaned_data["url"]).strip()
        if feed_url_problem(url) is not None:
            return url  # Source.url's validator says what is wrong when the model is checked
        try:
            ensure_new(url, exclude_pk=self.instance.pk)
        except DuplicateSource as exc:
            raise forms.ValidationError(str(exc)) from exc
        return url


class SourceEditForm(NewFeedUrlMixin, SourceDetailsForm):
    class Meta(SourceDetailsForm.Meta):
        fields = ["url", "name", "site_url", "groups", "source_type", "reliability", "language", "country",
                  "pinned_interval_minutes"]
        widgets = {**SourceDetailsForm.Meta.widgets, "url": forms.TextInput(attrs={"size": 60})}


class OpmlUploadForm(forms.Form):
    file = forms.FileField(label="OPML file", help_text="An .opml or .xml export from a feed reader.")

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_OPML_BYTES:
            raise forms.ValidationError(f"The file is {upload.size:,} bytes; at most {MAX_OPML_BYTES:,} are accepted.")
        return bytes(upload.read())


HEALTH_CHOICES = [("", "all")] + [(h.value, h.label) for h in Source.Health]


class HealthFilterForm(forms.Form):
    q = forms.CharField(label="Name or address", required=False, max_length=200)
    health = forms.ChoiceField(label="Status", required=False, choices=HEALTH_CHOICES)
    group = forms.ModelChoiceField(label="Group", required=False, queryset=SourceGroup.objects.order_by("name"),
                                   empty_label="any")
    type = forms.ChoiceField(label="Type", required=False, choices=[("", "any")] + list(Source.SourceType.choices))
    grade = forms.ChoiceField(label="Reliability", required=False,
                              choices=[("", "any")] + list(Source.Reliability.choices))
    changed = forms.BooleanField(label="Volume changed", required=False)
