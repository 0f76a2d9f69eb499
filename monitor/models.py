"""The analyst-facing domain: articles, the stories they group into, and what the tagger found in them."""

from __future__ import annotations

from django.db import models


class Story(models.Model):
    """One news event. Articles that are near copies of each other (wire copy, reposts, rewrites) share one."""

    title = models.CharField(max_length=1000)
    first_article = models.ForeignKey(
        "Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    article_count = models.PositiveIntegerField(default=0)
    outlet_count = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "stories"
        ordering = ["-first_published_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Article(models.Model):
    """One feed item and, once fetched, the page it links to."""

    class Status(models.TextChoices):
        NEW = "new", "waiting for extraction"
        EXTRACTED = "extracted", "waiting for tagging"
        TAGGED = "tagged", "tagged"
        FAILED = "failed", "failed"

    class Extraction(models.TextChoices):
        PENDING = "pending", "pending"
        OK = "ok", "extracted from the page"
        FAILED = "failed", "page failed: feed summary used"
        SKIPPED = "skipped", "page skipped: feed summary used"

    class CopyKind(models.TextChoices):
        ORIGINAL = "original", "first report"
        VERBATIM = "verbatim", "verbatim copy"
        REWRITTEN = "rewritten", "rewritten copy"

    source = models.ForeignKey("sources.Source", on_delete=models.CASCADE, related_name="articles")
    guid = models.CharField(max_length=2000)
    url = models.URLField(max_length=2000)
    canonical_url = models.URLField(max_length=2000)
    # sha256 of canonical_url: a short, indexable key so one URL is one article across all sources.
    url_hash = models.CharField(max_length=64, unique=True)
    content_hash = models.CharField(max_length=64, blank=True)

    title = models.CharField(max_length=1000, blank=True)
    summary_html = models.TextField(blank=True)
    text = models.TextField(blank=True)
    author = models.CharField(max_length=500, blank=True)
    sitename = models.CharField(max_length=300, blank=True)
    language = models.CharField(max_length=20, blank=True)
    image_url = models.URLField(max_length=2000, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Pipeline state: each stage moves status forward in the same transaction that stores its output.
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW, db_index=True)
    extraction = models.CharField(max_length=20, choices=Extraction.choices, default=Extraction.PENDING)
    extraction_error = models.TextField(blank=True)
    last_error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    claimed_by = models.CharField(max_length=200, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    pipeline_version = models.CharField(max_length=200, blank=True)
    tagged_at = models.DateTimeField(null=True, blank=True)

    story = models.ForeignKey(Story, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles")
    copy_kind = models.CharField(max_length=20, choices=CopyKind.choices, default=CopyKind.ORIGINAL)
    fingerprint = models.BinaryField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "guid"], name="article_unique_guid_per_source"),
        ]
        indexes = [models.Index(fields=["status", "claimed_until"], name="article_pipeline_queue")]

    def __str__(self) -> str:
        return self.title or self.url

    @property
    def link(self) -> str:
        """The URL, only if it is safe to render as a link (http or https)."""
        return self.url if self.url.lower().startswith(("http://", "https://")) else ""


class ArticleRevision(models.Model):
    """A feed item whose title or summary changed after we first stored it: the old values, kept."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    changed_at = models.DateTimeField(auto_now_add=True)
    old_title = models.CharField(max_length=1000, blank=True)
    old_summary_html = models.TextField(blank=True)
    old_content_hash = models.CharField(max_length=64, blank=True)
    new_guid = models.CharField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-changed_at"]


class ArticleBand(models.Model):
    """One LSH band key of an article's MinHash signature: the candidate index for near-duplicates."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bands")
    key = models.BigIntegerField(db_index=True)


class GazetteerEntry(models.Model):
    """A known organisation. The tagger builds its patterns from these; admins edit them."""

    class Origin(models.TextChoices):
        SHIPPED = "shipped", "shipped with Monitor"
        ADMIN = "admin", "added by an admin"
        PROMOTED = "promoted", "promoted from a candidate"

    key = models.SlugField(max_length=120, unique=True)
    canonical = models.CharField(max_length=300)
    acronyms = models.JSONField(default=list, blank=True)
    aliases = models.JSONField(default=list, blank=True)
    kind = models.CharField(max_length=50)
    country = models.CharField(max_length=50, blank=True)
    context = models.JSONField(
        default=list, blank=True, help_text="Words that, near an ambiguous acronym, point to this organisation."
    )
    enabled = models.BooleanField(default=True)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.ADMIN)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "gazetteer entries"
        ordering = ["canonical"]

    def __str__(self) -> str:
        return self.canonical

    def as_record(self) -> dict[str, object]:
        return {"key": self.key, "canonical": self.canonical, "acronyms": self.acronyms, "aliases": self.aliases,
                "kind": self.kind, "country": self.country, "context": self.context}


class Entity(models.Model):
    """An organisation, person or place, by canonical name. Organisations not in the gazetteer are candidates."""

    class Kind(models.TextChoices):
        ORGANISATION = "org", "organisation"
        PERSON = "person", "person"
        PLACE = "place", "place"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=300)
    acronym = models.CharField(max_length=50, blank=True)
    category = models.CharField(max_length=50, blank=True, help_text="For organisations: the gazetteer kind.")
    aliases = models.JSONField(default=list, blank=True)
    gazetteer = models.ForeignKey(GazetteerEntry, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name_plural = "entities"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="entity_unique_name_per_kind")]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def is_candidate(self) -> bool:
        return self.kind == self.Kind.ORGANISATION and self.gazetteer_id is None


class Mention(models.Model):
    """Where in an article's text an entity is named."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="mentions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    surface = models.CharField(max_length=300)
    pipeline_version = models.CharField(max_length=200)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["article", "entity", "start"], name="mention_unique_position"),
        ]


class Figure(models.Model):
    """A number the article reports: what it counts, how sure it is and who said it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="figures")
    text = models.CharField(max_length=500)
    value = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=20, blank=True)
    counts = models.CharField(max_length=300, blank=True)
    qualifier = models.CharField(max_length=50, blank=True)
    approx = models.BooleanField(default=False)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    sentence = models.TextField(blank=True)
    subject = models.CharField(max_length=300, blank=True)
    date_context = models.CharField(max_length=20, blank=True)
    pipeline_version = models.CharField(max_length=200)

    class Meta:
        ordering = ["start"]
        constraints = [models.UniqueConstraint(fields=["article", "start"], name="figure_unique_position")]

    def __str__(self) -> str:
        return self.text
