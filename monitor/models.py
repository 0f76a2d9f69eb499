"""The analyst-facing domain: stories, the articles in them, and what the tagger found in those articles.

Articles themselves belong to ingest (sources.models.Article); every table here points at them, never back.

The dashboard reads tables shaped for its questions rather than joining the archive on every request (see the
README's *Dashboard at scale*): StoryEntity, StorySource, EntityDay, EntityName and StorySearch, plus a few
columns copied onto Story and Figure. monitor.story_index keeps them in step, in the transaction that tags.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models

# A story's sort key is its first publication time in whole seconds, times this, plus its id: unique, and
# ordered by time first. Every list pages through it, so one integer is the whole cursor.
SORT_KEY_FACTOR = 1_000_000_000


def sort_key_for(published_at: datetime, story_id: int) -> int:
    return int(published_at.timestamp()) * SORT_KEY_FACTOR + story_id % SORT_KEY_FACTOR


def time_of_sort_key(key: int) -> int:
    """The epoch seconds a sort key was made from."""
    return key // SORT_KEY_FACTOR


class Story(models.Model):
    """One news event. Articles that are near copies of each other (wire copy, reposts, rewrites) share one."""

    title = models.CharField(max_length=1000)
    first_article = models.ForeignKey(
        "sources.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    article_count = models.PositiveIntegerField(default=0)
    outlet_count = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    # Copied here by monitor.story_index so the list reads one row per story and joins nothing.
    sort_key = models.BigIntegerField(null=True, blank=True, unique=True)
    language = models.CharField(max_length=20, blank=True)
    figure_count = models.PositiveIntegerField(default=0)
    lead_source_name = models.CharField(max_length=200, blank=True)
    top_organisations = models.JSONField(default=list, blank=True,
                                         help_text="[[entity id, short label, full name], ...], most mentioned first")

    class Meta:
        verbose_name_plural = "stories"
        ordering = ["-sort_key"]
        permissions = [("export_story", "Can export stories and figures"),
                       ("correct_story", "Can split an article out of a story or merge two stories")]

    def __str__(self) -> str:
        return self.title


class UngroupedArticle(models.Model):
    """An article the tag stage has analysed and the group stage has not yet put in a story: the features
    the tagger found (monitor.story_evidence.StoryFeatures), kept until grouping reads them. Tagging and
    grouping are separate stages so that NLP workers never wait on the clustering lock (monitor.pipeline)."""

    article = models.OneToOneField("sources.Article", on_delete=models.CASCADE, primary_key=True,
                                   related_name="ungrouped")
    features = models.JSONField(default=dict, blank=True)


class StoryArticle(models.Model):
    """An article's place in a story: which story, as what kind of copy, and why it joined.

    Kept here rather than on the article, because stories are the analysis side's idea: ingest (sources/)
    stores articles and knows nothing of stories.
    """

    class CopyKind(models.TextChoices):
        ORIGINAL = "original", "first report"
        VERBATIM = "verbatim", "verbatim copy"
        REWRITTEN = "rewritten", "rewritten copy"
        UPDATE = "update", "update by the same outlet"
        MERGED = "merged", "merged by an analyst"

    article = models.OneToOneField("sources.Article", on_delete=models.CASCADE, primary_key=True,
                                   related_name="story_link")
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="members")
    copy_kind = models.CharField(max_length=20, choices=CopyKind.choices, default=CopyKind.ORIGINAL)
    # The MinHash signature (monitor.similarity) of the text without its outlet's recurring lines.
    fingerprint = models.BinaryField(null=True, blank=True)
    # monitor.story_evidence.StoryFeatures: the figures and names later articles are compared with.
    features = models.JSONField(default=dict, blank=True)
    # How later articles compare with this one without cutting its text up again (monitor.stories): every line
    # key of its text (int64s); of the text left once its outlet's recurring lines are left out, the shingle
    # hashes (uint32s, sorted) and word count, and the features within it; the lines its own grouping's count
    # made recurring are left out too. Valid until another of these lines becomes recurring
    # (RecurringLine.recurring_from after compared_seq); then the text is read again.
    line_keys = models.BinaryField(null=True, blank=True)
    body_shingles = models.BinaryField(null=True, blank=True)
    body_words = models.IntegerField(null=True, blank=True)
    # Words of the whole text, recurring lines included: whether the article is judged as a brief.
    text_words = models.IntegerField(null=True, blank=True)
    reported = models.JSONField(null=True, blank=True)
    # When these were computed, as clustering's sequence number (ClusteringCounter: never given twice).
    # Clustering runs one article at a time (monitor.stories.lock_clustering), so it orders computations
    # everywhere.
    compared_seq = models.BigIntegerField(null=True, blank=True, db_index=True)
    # A hash of line_keys, body_shingles, body_words, text_words and reported (monitor.stories.comparison_digest): the key
    # under which a grouping process keeps them decoded. Cleared, like `reported`, when the article is tagged
    # again. NULL for rows grouped before it existed: those are decoded at every comparison until stored again.
    comparison_digest = models.BigIntegerField(null=True, blank=True)
    # Why it joined (monitor.story_evidence.Verdict.to_json, plus "matched": the article it matched), or, for a
    # first report, the closest article it was compared with and why that was not the same story.
    evidence = models.JSONField(default=dict, blank=True)
    # Set by an analyst's split or merge: clustering never moves a pinned article again.
    pinned = models.BooleanField(default=False)
    # Its keys in the candidate index (monitor.candidate_index: LSH bands of its compared text, pairs of its
    # figures, the names and figures it reports; int64s), and its publication time in whole seconds since
    # 1970 (UTC), by which grouping processes read a week's keys. Written with compared_seq whenever it is
    # grouped, as it is again after a late extraction fills in its date. NULL keys: not in the index.
    index_keys = models.BinaryField(null=True, blank=True)
    published_epoch = models.BigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["published_epoch"], name="story_article_by_time")]

    def __str__(self) -> str:
        return f"article {self.article_id} in story {self.story_id} ({self.copy_kind})"


class ClusteringCounter(models.Model):
    """The last clustering sequence number given (StoryArticle.compared_seq; monitor.stories.next_sequence),
    in one row. A number is never given twice, even after the newest grouped articles are deleted, so a
    grouping process that caught up to a number (monitor.candidate_index) has seen every article below it.
    A rolled-back grouping gives its number back, which the candidate index allows for."""

    last = models.BigIntegerField(default=0)


class RecurringLine(models.Model):
    """How many of an outlet's articles carried a line, up to RECURRING_AFTER (monitor.recurring_lines): template
    text is not evidence."""

    source = models.ForeignKey("sources.Source", on_delete=models.CASCADE, related_name="+", db_index=False)
    key = models.BigIntegerField()
    # Counted up to RECURRING_AFTER (monitor.recurring_lines): a recurring line's count is not raised again.
    articles = models.PositiveIntegerField(default=0)
    # The clustering sequence number (StoryArticle.compared_seq) of the article whose count made it recurring:
    # articles compared before it kept this line in their comparison data, and are compared afresh
    # (monitor.stories.sides_of); data stored at that number already leaves it out.
    recurring_from = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "key"], name="recurring_line_unique")]
        indexes = [models.Index(fields=["source", "recurring_from"], name="recurring_line_since")]


class StoryCorrection(models.Model):
    """An analyst's split or merge, with who made it and when. The articles it moved are pinned."""

    class Kind(models.TextChoices):
        SPLIT = "split", "split an article out"
        MERGE = "merge", "merged two stories"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Split: the article moved out. Merge: null.
    article = models.ForeignKey("sources.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Split: the story it left, and its new story. Merge: the story kept, and the one merged into it (now gone).
    story_id_kept = models.BigIntegerField()
    other_story_id = models.BigIntegerField(db_index=True)
    other_title = models.CharField(max_length=1000, blank=True)
    articles_moved = models.PositiveIntegerField(default=0)
    made_by = models.ForeignKey("auth.User", null=True, on_delete=models.SET_NULL, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-made_at"]
        indexes = [models.Index(fields=["story_id_kept", "made_at"], name="correction_by_story")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.made_by} at {self.made_at:%Y-%m-%d %H:%M}"


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
    # How many stories mention it, kept by monitor.story_index: orders the autocomplete, picks query plans.
    story_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "entities"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="entity_unique_name_per_kind")]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def is_candidate(self) -> bool:
        return self.kind == self.Kind.ORGANISATION and self.gazetteer_id is None


class EntityName(models.Model):
    """Every name an entity goes by (canonical name, acronym, aliases), normalised: filters and autocomplete."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="names")
    key = models.CharField(max_length=300, help_text="case-folded, spaces collapsed")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "entity"], name="entityname_unique")]


class StoryEntity(models.Model):
    """That a story mentions an entity, how often, and the story's sort key: what entity filters read."""

    # Both foreign keys are the first column of an index below, so neither needs one of its own.
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="entity_rows", db_index=False)
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="story_rows", db_index=False)
    kind = models.CharField(max_length=10)
    mentions = models.PositiveIntegerField(default=1)
    sort_key = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["story", "entity"], name="storyentity_unique")]
        indexes = [models.Index(fields=["entity", "sort_key"], name="storyentity_by_entity")]


class StorySource(models.Model):
    """That an outlet carried a story: what the source filter reads."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="source_rows", db_index=False)
    source = models.ForeignKey("sources.Source", on_delete=models.CASCADE, related_name="story_rows", db_index=False)
    sort_key = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["story", "source"], name="storysource_unique")]
        indexes = [models.Index(fields=["source", "sort_key"], name="storysource_by_source")]


class EntityDay(models.Model):
    """How many stories mentioned an entity on one day: the entity page's chart, without counting the archive."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="days", db_index=False)
    day = models.DateField()
    stories = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entity", "day"], name="entityday_unique")]


class StorySearch(models.Model):
    """The text a story is found by. SQLite indexes it with FTS5 and PostgreSQL with a tsvector (migration 0005)."""

    story = models.OneToOneField(Story, on_delete=models.CASCADE, primary_key=True, related_name="search")
    sort_key = models.BigIntegerField(unique=True)
    document = models.TextField()


class Mention(models.Model):
    """Where in an article's text an entity is named."""

    article = models.ForeignKey("sources.Article", on_delete=models.CASCADE, related_name="mentions",
                                db_index=False)  # the unique (article, entity, start) index serves
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="mentions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    surface = models.CharField(max_length=300)
    pipeline_version = models.CharField(max_length=200)
    rule = models.CharField(max_length=60, blank=True,
                            help_text="How the tagger found it: gazetteer, acronym-definition, model or a named rule.")

    class Meta:
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["article", "entity", "start"], name="mention_unique_position"),
        ]


class Figure(models.Model):
    """A number the article reports: what it counts, how sure it is and who said it."""

    article = models.ForeignKey("sources.Article", on_delete=models.CASCADE, related_name="figures")
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
    rule = models.CharField(max_length=60, blank=True,
                            help_text="How the tagger read the number and found what it counts.")

    # Copied by monitor.story_index so the figures explorer filters without joining the archive.
    subject_entity = models.ForeignKey(Entity, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="figures", db_index=False)
    story = models.ForeignKey(Story, null=True, blank=True, on_delete=models.SET_NULL, related_name="figures")
    source = models.ForeignKey("sources.Source", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", db_index=False)
    sort_key = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["start"]
        constraints = [models.UniqueConstraint(fields=["article", "start"], name="figure_unique_position")]
        indexes = [models.Index(fields=["sort_key"], name="figure_by_time"),
                   models.Index(fields=["subject_entity", "sort_key"], name="figure_by_subject"),
                   models.Index(fields=["source", "sort_key"], name="figure_by_source")]

    def __str__(self) -> str:
        return self.text


class RetagJob(models.Model):
    """Re-tagging the articles a gazetteer change affects, in the background, with progress an admin can watch."""

    class State(models.TextChoices):
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    gazetteer_entry = models.ForeignKey(GazetteerEntry, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="retag_jobs")
    reason = models.CharField(max_length=300)
    created_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    article_ids = models.JSONField(default=list, help_text="the affected articles, found when the job was made")
    done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.reason}: {self.done} of {self.total}"

    @property
    def total(self) -> int:
        return len(self.article_ids)

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)


class NameCorrection(GazetteerEntry):
    """People and places for the tagger to know, and names it must not tag as a person, place or organisation.

    Stored as gazetteer entries (same table, same shipped-versus-edited rule, same re-tagging on save) whose
    `kind` is one of monitor.nlp.gazetteer.NAME_KINDS; this proxy gives them their own admin page.
    """

    class Meta:
        proxy = True
        verbose_name = "name correction"
