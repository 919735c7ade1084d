"""The data model: sources, articles, speakers, claims, verdicts, evidence and the timeline."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from claims.statements import compose_statement


class Source(models.Model):
    """An outlet, agency, official body or fact-checker that the newsroom tracks."""

    class Kind(models.TextChoices):
        OUTLET = "outlet", "News outlet"
        AGENCY = "agency", "News agency"
        GOVERNMENT = "government", "Government or official body"
        FACT_CHECKER = "fact_checker", "Fact-checker"
        ORGANISATION = "organisation", "Other organisation"

    class Reliability(models.IntegerChoices):
        UNKNOWN = 0, "Unknown: not yet assessed"
        LOW = 1, "Low: often inaccurate or unsourced"
        MIXED = 2, "Mixed: accurate at times, check each item"
        HIGH = 3, "High: generally accurate, corrects errors"
        VERY_HIGH = 4, "Very high: primary source or record of reference"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OUTLET)
    reliability = models.PositiveSmallIntegerField(
        choices=Reliability.choices,
        default=Reliability.UNKNOWN,
        help_text="How far the newsroom trusts this source by default. Shown next to every piece "
        "of evidence from it; reviewers still judge each item.",
    )
    active = models.BooleanField(
        default=True, help_text="Inactive sources keep their history but their feeds are not read."
    )
    auto_ingest = models.BooleanField(
        "monitor: ingest new feed articles",
        default=False,
        help_text="Ingest every new article that this source's feeds list, as if a reviewer had "
        "added its address, so that its claims reach the review queue without pasting by hand. "
        "Only items that appear after it is switched on are ingested.",
    )
    ingest_threshold = models.FloatField(
        "monitor: queue threshold",
        default=0.5,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="Claims from this source's monitored articles with at least this "
        "check-worthiness (0 to 1) go to the review queue as New; the others are kept with "
        "their article, under the queue's 'Below threshold' tab. Applies to articles ingested "
        "from now on.",
    )
    notes = models.TextField(blank=True, help_text="Internal notes for reviewers; never public.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ingest_threshold__gte=0) & Q(ingest_threshold__lte=1),
                name="source_ingest_threshold_0_1",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:200]
        super().save(*args, **kwargs)

    @property
    def reliability_label(self) -> str:
        """The rating's name without its explanation ("Very high"), for a line with little room."""
        return self.get_reliability_display().split(":", 1)[0]


class SourceDomain(models.Model):
    """A web domain that belongs to a source; evidence and articles are matched by it."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(
        max_length=253,
        unique=True,
        help_text="Host name without scheme or path, e.g. news.sky.com. Subdomains match too: "
        "reuters.com covers www.reuters.com.",
    )

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    def save(self, *args, **kwargs) -> None:
        self.domain = normalise_domain(self.domain)
        super().save(*args, **kwargs)


def normalise_domain(value: str) -> str:
    """Lower-case host without scheme, port, path or a leading www., as domains are matched."""
    value = value.strip().lower()
    if "://" in value:
        value = value.split("://", 1)[1]
    value = value.split("/", 1)[0].split(":", 1)[0].rstrip(".")
    return value.removeprefix("www.")


class SourceFeed(models.Model):
    """An RSS or Atom feed of a source; its items feed the corroboration archive."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="feeds")
    url = models.URLField(max_length=2000, unique=True)
    title = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(default=True)
    last_fetched_at = models.DateTimeField(
        null=True, blank=True, help_text="When the feed was last asked for, whatever the answer."
    )
    last_success_at = models.DateTimeField(
        null=True, blank=True, help_text="When the feed last answered with a readable feed."
    )
    last_error = models.TextField(blank=True, help_text="Why the last poll failed; empty if not.")
    failures = models.PositiveSmallIntegerField(
        default=0,
        help_text="Polls in a row that failed; a failing feed is asked less and less often.",
    )
    # Validators from the last answer, sent back so that an unchanged feed answers 304.
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["url"]
        indexes = [
            # The beat sweep: active feeds, least recently polled first.
            models.Index(fields=["active", "last_fetched_at"], name="sourcefeed_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title or self.url


class FeedItem(models.Model):
    """One entry of a source's feed; its page's text goes into the corroboration archive."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be read"
        ARCHIVED = "archived", "In the archive"
        SUMMARY_ONLY = "summary_only", "Page not read: the feed's summary is in the archive"
        INGESTED = "ingested", "Ingested as an article (its source is monitored)"
        FAILED = "failed", "Not archived"

    feed = models.ForeignKey(SourceFeed, on_delete=models.CASCADE, related_name="items")
    guid = models.CharField(
        max_length=1000, help_text="The entry's id in the feed, or its link when it has none."
    )
    url = models.URLField(max_length=2000, help_text="Normalised address of the item's page.")
    title = models.CharField(max_length=500, blank=True)
    summary = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(blank=True, help_text="Why the page could not be read.")
    archive_key = models.CharField(
        max_length=300, blank=True, help_text="Key of the item's document in the archive."
    )
    article = models.ForeignKey(
        "Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feed_items",
        help_text="The article the item was ingested as (sources that are monitored), or the "
        "one already here with its address.",
    )
    fetched_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["feed", "guid"], name="feeditem_unique_guid_per_feed"),
        ]
        indexes = [
            # Items still waiting for their page (a sweep re-sends them), oldest first.
            models.Index(fields=["status", "created_at"], name="feeditem_status_created_idx"),
        ]

    def __str__(self) -> str:
        return self.title or self.url


class Article(models.Model):
    """A news article brought in by URL, pasted text or upload, and the text claims come from."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        FETCHING = "fetching", "Fetching"
        EXTRACTING = "extracting", "Extracting"
        READY = "ready", "Ready"
        # Stored, but a person should check it first: the reason is in `failure_reason`.
        NEEDS_REVIEW = "review", "Needs review"
        FAILED = "failed", "Failed"

    class Origin(models.TextChoices):
        URL = "url", "Web address"
        PASTE = "paste", "Pasted text"
        UPLOAD = "upload", "Uploaded file"

    class Kind(models.TextChoices):
        ARTICLE = "article", "News article"
        TRANSCRIPT = "transcript", "Transcript"

    url = models.URLField(
        max_length=2000,
        null=True,
        blank=True,
        unique=True,
        help_text="Canonical address, normalised (no tracking parameters or fragment).",
    )
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.PASTE)
    kind = models.CharField(
        max_length=12,
        choices=Kind.choices,
        default=Kind.ARTICLE,
        help_text="A transcript (debate, speech, interview, hearing) is read as SPEAKER: text "
        "turns, and each sentence is attributed to its turn's speaker.",
    )
    moderators = models.CharField(
        max_length=500,
        blank=True,
        help_text="Transcripts: the moderators' or hosts' names, comma-separated, when the "
        "transcript does not mark them. Their turns are set apart and yield no claims.",
    )
    turns = models.JSONField(
        default=list,
        blank=True,
        help_text="Transcripts: the speakers' turns found at ingest (offsets into the text, "
        "speaker, role).",
    )
    candidates = models.JSONField(
        default=list,
        blank=True,
        help_text="Sentences that rank high for check-worthiness but became no claim, found at "
        "ingest (offsets into the text, score, speaker): shown to reviewers to add by hand.",
    )
    original_filename = models.CharField(max_length=255, blank=True)
    outlet = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    outlet_name = models.CharField(
        max_length=200, blank=True, help_text="The outlet as the page names it."
    )
    feed_source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="monitored_articles",
        help_text="The monitored source whose feed brought the article in; empty for articles "
        "people added.",
    )
    headline = models.CharField(max_length=500, blank=True)
    byline = models.CharField(max_length=300, blank=True)
    published_on = models.DateField(null=True, blank=True)
    raw_text = models.TextField(blank=True, help_text="The text as fetched, pasted or uploaded.")
    text = models.TextField(blank=True, help_text="The cleaned text that claim offsets point into.")
    language = models.CharField(max_length=12, blank=True)
    content_hash = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        help_text="SHA-256 of the normalised text; the same text is never stored twice.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    failure_reason = models.TextField(
        blank=True,
        help_text="Why the ingest job failed, or why its result needs a person's check.",
    )
    cleaned_hash = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        help_text="SHA-256 of the cleaned text once ingested; catches the same article brought in "
        "another way (a URL, then its text pasted).",
    )
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        help_text="Set when ingesting found that this article is already here.",
    )
    # The ingest job's hold on the article (see claims.services.articles.article_ingest).
    ingest_job = models.CharField(
        max_length=64,
        blank=True,
        help_text="The ingest job working on the article; the same job delivered again after its "
        "worker died may take over.",
    )
    ingest_lease = models.CharField(
        max_length=32, blank=True, help_text="Token of the run that may store the claims."
    )
    ingest_started_at = models.DateTimeField(null=True, blank=True)
    ingest_enqueued_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the ingest job was last handed to the job queue; empty while the queue "
        "could not be reached (a beat job sends it again).",
    )
    ingest_attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Runs of the current ingest job; one that keeps dying is given up."
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles_added",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The staff article list filters by status and shows the newest first.
            models.Index(fields=["status", "-created_at"], name="article_status_created_idx"),
            # The queue's recent articles and its article filter: the newest, any status.
            models.Index(fields=["-created_at"], name="article_created_idx"),
        ]

    def __str__(self) -> str:
        return self.headline or self.url or f"Article {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("review:article", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def is_transcript(self) -> bool:
        return self.kind == self.Kind.TRANSCRIPT

    @property
    def waiting_for_job_queue(self) -> bool:
        """Queued, but its job has not reached the broker: the broker was down when it was
        saved, and the `requeue_unsent_jobs` beat job will send it once the broker is back."""
        return self.status == self.Status.QUEUED and self.ingest_enqueued_at is None

    @property
    def accepts_manual_claims(self) -> bool:
        """Reviewers add missed claims to a read article; a failed or unfinished one has no
        text to select from, or a text that is about to change (or was refused)."""
        return self.status in {self.Status.READY, self.Status.NEEDS_REVIEW} and bool(self.text)

    @property
    def speakers_line(self) -> str:
        """A transcript's speakers in order of first turn: "Clinton, Sanders; moderators: Todd"."""
        speakers: dict[str, bool] = {}
        for turn in self.turns or []:
            name = turn.get("speaker") or turn.get("label") or ""
            if name and turn.get("role") != "audience":
                speakers.setdefault(name, bool(turn.get("moderator")))
        talking = [name for name, moderator in speakers.items() if not moderator]
        moderating = [name for name, moderator in speakers.items() if moderator]
        line = ", ".join(talking)
        if moderating:
            line += f"{'; ' if line else ''}moderators: {', '.join(moderating)}"
        return line

    @property
    def moderator_names(self) -> list[str]:
        return [name.strip() for name in self.moderators.split(",") if name.strip()]


FINISHED_STATUSES = frozenset(
    {Article.Status.READY, Article.Status.NEEDS_REVIEW, Article.Status.FAILED}
)


class Speaker(models.Model):
    """A person or body that claims are attributed to, shared across articles."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"
        GOVERNMENT = "government", "Government"
        MEDIA = "media", "Media"
        UNKNOWN = "unknown", "Unknown"

    name = models.CharField(max_length=200, help_text="Display name, e.g. David Schenker.")
    normalised_name = models.CharField(
        max_length=200,
        unique=True,
        help_text="Lower-case name used to match new mentions to this speaker.",
    )
    role = models.CharField(
        max_length=300, blank=True, help_text="Role or title, e.g. US Assistant Secretary of State."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.UNKNOWN)
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text="Other spellings that should match this speaker, as a list: "
        '["Adel Abdul Mahdi", "Abdul-Mahdi"]. New mentions with these names join this speaker.',
    )
    slug = models.SlugField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            # The speaker name suggestions on claim pages, in name order.
            models.Index(fields=["name"], name="speaker_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("public:speaker", args=[self.slug])

    def clean(self) -> None:
        if not isinstance(self.aliases, list) or not all(
            isinstance(alias, str) and alias.strip() for alias in self.aliases
        ):
            raise ValidationError({"aliases": 'Give a list of names, e.g. ["Adel Abdul Mahdi"].'})

    @staticmethod
    def normalise(name: str) -> str:
        return " ".join(name.lower().split())


class Claim(models.Model):
    """One checkable statement from an article, with who made it and where it stands."""

    class Kind(models.TextChoices):
        DIRECT = "direct", "Direct quote"
        INDIRECT = "indirect", "Reported speech"
        MIXED = "mixed", "Mixed"
        UNATTRIBUTED = "unattributed", "Outlet's own statement"

    class Status(models.TextChoices):
        NEW = "new", "New"
        DISMISSED = "dismissed", "Dismissed"
        IN_REVIEW = "in_review", "In review"
        AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
        PUBLISHED = "published", "Published"
        # From a monitored feed, scoring under its source's threshold: kept with its article,
        # out of the queue's "All" until someone moves it in (see Source.ingest_threshold).
        BELOW_THRESHOLD = "below_threshold", "Below threshold"

    class DismissalReason(models.TextChoices):
        OPINION = "opinion", "Opinion"
        NOT_CHECKABLE = "not_checkable", "Not checkable"
        DUPLICATE = "duplicate", "Duplicate of another claim"
        OTHER = "other", "Other"
        # The extractor's mistake, unlike the others: counted against its precision.
        NOT_A_CLAIM = "not_a_claim", "Not a claim (extraction error)"

    class Origin(models.TextChoices):
        EXTRACTED = "extracted", "Extracted automatically"
        MANUAL = "manual", "Added by a person"

    class Priority(models.IntegerChoices):
        NORMAL = 0, "Normal"
        HIGH = 1, "High"
        URGENT = 2, "Urgent"

    # Claims still being worked on: only these can be overdue.
    OPEN_STATUSES = (Status.NEW, Status.IN_REVIEW, Status.AWAITING_APPROVAL)

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    speaker = models.ForeignKey(
        Speaker,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claims",
        help_text="Empty for statements the outlet makes itself.",
    )
    speaker_text = models.CharField(
        max_length=300, blank=True, help_text="The speaker as the article writes it."
    )
    via = models.JSONField(
        default=list, blank=True, help_text="Chain of attribution, e.g. Reuters citing officials."
    )
    cue = models.CharField(max_length=100, blank=True)
    content = models.TextField(help_text="The words of the claim as the article has them.")
    statement = models.TextField(
        blank=True,
        help_text='The claim as a sentence that makes sense on its own, e.g. "Iraq condemned '
        "Washington for the strikes\". It is the public title and ClaimReview's claimReviewed. "
        "Empty: composed from the speaker, the cue and the content.",
    )
    sentence = models.TextField(blank=True)
    kind = models.CharField(max_length=15, choices=Kind.choices, default=Kind.INDIRECT)
    start = models.PositiveIntegerField(help_text="Content offset into the article's cleaned text.")
    end = models.PositiveIntegerField()
    speaker_start = models.PositiveIntegerField(null=True, blank=True)
    speaker_end = models.PositiveIntegerField(null=True, blank=True)
    cue_start = models.PositiveIntegerField(null=True, blank=True)
    cue_end = models.PositiveIntegerField(null=True, blank=True)
    sentence_start = models.PositiveIntegerField(null=True, blank=True)
    sentence_end = models.PositiveIntegerField(null=True, blank=True)
    checkworthiness = models.FloatField(default=0.5)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    dismissal_reason = models.CharField(max_length=20, choices=DismissalReason.choices, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.EXTRACTED)
    touched = models.BooleanField(
        default=False,
        help_text="Set once a person changes the claim; re-running extraction keeps such claims.",
    )
    feed_source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The monitored source whose feed brought the claim's article in: the "
        "article's own, kept here for the queue's feed filter and its index.",
        # The partial indexes in Meta.indexes serve every lookup by it.
        db_index=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_claims",
        # The queue's assignee indexes (Meta.indexes) start with this column and serve every
        # lookup by it; a separate one would only tempt the planner into reading more rows.
        db_index=False,
    )
    due_on = models.DateField(
        "due date",
        null=True,
        blank=True,
        help_text="When the newsroom wants the verdict; an open claim past it shows as overdue "
        "in the queue.",
    )
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    version = models.PositiveIntegerField(
        default=1, help_text="Raised on every save; an edit against an older version is refused."
    )
    last_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who made the change that raised the version last (empty: a background job).",
    )
    # Filled by a PostgreSQL trigger from the content, the speaker (as written and as named) and
    # the article's headline (claims/counters.py); searched with a GIN index (migration 0006).
    # Empty on SQLite, where the queue search reads the columns themselves.
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["article_id", "start"]
        permissions = [
            ("review_claim", "Can triage, research and propose verdicts for claims"),
            ("approve_verdict", "Can approve, publish and correct verdicts"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__gte=0) & Q(start__lt=F("end")), name="claim_offsets_ordered"
            ),
            models.CheckConstraint(
                condition=Q(checkworthiness__gte=0) & Q(checkworthiness__lte=1),
                name="claim_checkworthiness_0_1",
            ),
            models.UniqueConstraint(
                fields=["article", "start", "end"], name="claim_unique_span_per_article"
            ),
        ]
        # The review queue reads one page of ids straight off one of these indexes, whatever
        # the table's size: each sort ends in the id so that the order is total and keyset
        # pages ("after this claim") never skip or repeat a claim.
        indexes = [
            # The queue's default order: most check-worthy first.
            models.Index(
                fields=["-checkworthiness", "-created_at", "-id"], name="claim_queue_score_idx"
            ),
            # The queue sorted by "newest".
            models.Index(fields=["-created_at", "-id"], name="claim_queue_newest_idx"),
            # A status tab of the queue in either order, and its capped counts per status.
            models.Index(
                fields=["status", "-checkworthiness", "-created_at", "-id"],
                name="claim_status_score_idx",
            ),
            models.Index(fields=["status", "-created_at", "-id"], name="claim_status_newest_idx"),
            # "Mine" and the assignee filter: with a status tab, and without one in either order.
            models.Index(
                fields=["assignee", "status", "-checkworthiness", "-created_at", "-id"],
                name="claim_assignee_status_idx",
            ),
            models.Index(
                fields=["assignee", "-checkworthiness", "-created_at", "-id"],
                name="claim_assignee_score_idx",
            ),
            models.Index(
                fields=["assignee", "-created_at", "-id"], name="claim_assignee_newest_idx"
            ),
            # The queue's feed filter in either order; only claims of monitored articles.
            models.Index(
                fields=["feed_source", "-checkworthiness", "-created_at", "-id"],
                name="claim_feed_score_idx",
                condition=Q(feed_source__isnull=False),
            ),
            models.Index(
                fields=["feed_source", "-created_at", "-id"],
                name="claim_feed_newest_idx",
                condition=Q(feed_source__isnull=False),
            ),
            # The queue sorted by due date and its "overdue" filter (due before today), with
            # and without a status tab; only claims that have a due date.
            models.Index(
                fields=["due_on", "id"],
                name="claim_due_idx",
                condition=Q(due_on__isnull=False),
            ),
            models.Index(
                fields=["status", "due_on", "id"],
                name="claim_status_due_idx",
                condition=Q(due_on__isnull=False),
            ),
            # The queue sorted by priority (urgent first, then by score), with and without a
            # status tab; the same indexes serve the priority filter in the default order (an
            # equal priority, then the score) and, with the status first, its capped counts
            # per status. The priority filter in the "newest" order has the third.
            models.Index(
                fields=["-priority", "-checkworthiness", "-created_at", "-id"],
                name="claim_queue_priority_idx",
            ),
            models.Index(
                fields=["status", "-priority", "-checkworthiness", "-created_at", "-id"],
                name="claim_status_priority_idx",
            ),
            models.Index(
                fields=["priority", "-created_at", "-id"], name="claim_priority_newest_idx"
            ),
            # "Mine" (and the assignee filter) sorted by priority: a person's own claims, urgent
            # first, without reading everyone else's urgent ones.
            models.Index(
                fields=["assignee", "-priority", "-checkworthiness", "-created_at", "-id"],
                name="claim_assignee_priority_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.content[:80]

    def get_absolute_url(self) -> str:
        return reverse("review:claim", args=[self.pk])

    @property
    def speaker_display_name(self) -> str:
        if self.speaker_id:
            return self.speaker.name
        return self.speaker_text or (self.article.outlet_name or "The outlet")

    @property
    def is_overdue(self) -> bool:
        """Still open after its due date (today in the newsroom's time zone)."""
        return (
            self.due_on is not None
            and self.status in self.OPEN_STATUSES
            and self.due_on < timezone.localdate()
        )

    @property
    def drafted_statement(self) -> str:
        """The statement composed from speaker, cue and content, for claims without one."""
        if self.speaker_id:
            speaker = self.speaker.name
        elif self.kind == self.Kind.UNATTRIBUTED:
            speaker = ""
        else:
            speaker = self.speaker_text
        return compose_statement(
            speaker=speaker,
            cue=self.cue,
            content=self.content,
            direct_quote=self.kind == self.Kind.DIRECT,
        )

    @property
    def display_statement(self) -> str:
        """What the public title, the verdict page and ClaimReview show for this claim."""
        return self.statement.strip() or self.drafted_statement


class ExtractionReview(models.Model):
    """One claim as the extractor first gave it, kept once a reviewer acts on the claim, with
    what reviewers made of it: a labelled example the extractor is measured by.

    The extractor's output is copied here before the first change, because corrections
    rewrite the claim itself. The dashboard counts outcomes per week and source (precision:
    kept or lightly edited against corrected and dismissed; recall: found by the extractor
    against added by hand), and `manage.py export_corrections` writes the corrected claims as
    gold attributions.
    """

    class Outcome(models.TextChoices):
        KEPT = "kept", "Kept as extracted"
        LIGHTLY_EDITED = "light", "Kept, lightly edited"
        CORRECTED = "corrected", "Corrected: span, speaker, split or merge"
        MERGED = "merged", "Merged into another claim"
        NOT_A_CLAIM = "not_a_claim", "Dismissed: not a claim"
        ADDED = "added", "Missed by the extractor: added by hand"
        SPLIT_PART = "split_part", "Split off another claim"

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="extraction_review")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The article's outlet, for the dashboard's figures per source.",
    )
    article_added_at = models.DateTimeField(
        help_text="When the article came in and was extracted: the week it is counted in."
    )
    extracted = models.BooleanField(
        help_text="Whether the extractor found the claim (false: a person added it)."
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    # The extractor's output: offsets into the article's text (empty for claims added by hand).
    speaker_name = models.CharField(max_length=200, blank=True)
    speaker_text = models.CharField(max_length=300, blank=True)
    speaker_start = models.PositiveIntegerField(null=True, blank=True)
    speaker_end = models.PositiveIntegerField(null=True, blank=True)
    cue = models.CharField(max_length=100, blank=True)
    cue_start = models.PositiveIntegerField(null=True, blank=True)
    cue_end = models.PositiveIntegerField(null=True, blank=True)
    content = models.TextField(blank=True)
    content_start = models.PositiveIntegerField(null=True, blank=True)
    content_end = models.PositiveIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=15, choices=Claim.Kind.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-article_added_at", "id"]
        indexes = [
            # The dashboard's counts per week and per source over its last weeks: an index-only
            # range scan of that window, whatever the table's size.
            models.Index(
                fields=["article_added_at", "source", "outcome", "extracted"],
                name="extractionreview_window_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: claim {self.claim_id}"


class ExtractionCorrection(models.Model):
    """One reviewer correction of the extractor's output, and the claim as it stood after it
    (offsets into the article's text), linked to the original in its ExtractionReview."""

    class Kind(models.TextChoices):
        NOT_A_CLAIM = "not_a_claim", "Dismissed: not a claim"
        RESTORED = "restored", "Restored after a 'not a claim' dismissal"
        CONTENT = "content", "Content edited"
        KIND = "kind", "Kind changed"
        SPEAKER = "speaker", "Speaker changed"
        SPLIT = "split", "Split in two"
        MERGE = "merge", "Merged with another claim"
        ADDED = "added", "Missed claim added by hand"

    review = models.ForeignKey(
        ExtractionReview, on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The corrected version.
    speaker_name = models.CharField(max_length=200, blank=True)
    speaker_start = models.PositiveIntegerField(null=True, blank=True)
    speaker_end = models.PositiveIntegerField(null=True, blank=True)
    cue_start = models.PositiveIntegerField(null=True, blank=True)
    cue_end = models.PositiveIntegerField(null=True, blank=True)
    content = models.TextField(blank=True)
    content_start = models.PositiveIntegerField(null=True, blank=True)
    content_end = models.PositiveIntegerField(null=True, blank=True)
    claim_kind = models.CharField(max_length=15, choices=Claim.Kind.choices, blank=True)
    content_similarity = models.FloatField(
        null=True,
        blank=True,
        help_text="How close the content now is to the extractor's, 0 to 1 (empty for claims "
        "added by hand).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.review})"


class VerdictRating(models.Model):
    """One step of the verdict scale that admins can edit (True … False, Misleading, …)."""

    name = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(
        unique=True, help_text="Position on the scale, 1 = most accurate."
    )
    colour = models.CharField(
        max_length=7, default="#6b7280", help_text="Hex colour of the rating badge, e.g. #15803d."
    )
    description = models.TextField(blank=True, help_text="What this rating means, shown publicly.")
    schema_rating = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Numeric value for ClaimReview (1 = false … 5 = true); empty if off that scale.",
    )

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


# The published version a verdict keeps (Verdict.take_snapshot): what the public site shows
# while the claim is reworked, until an editor approves the rework.
VERDICT_SNAPSHOT_FIELDS = (
    "speaker_name",
    "speaker_role",
    "speaker_kind",
    "claim_reviewed",
    "published_rating",
    "published_explanation",
    "published_speaker",
    "published_quote",
    "published_cue",
    "published_evidence",
)


class Verdict(models.Model):
    """The newsroom's rating of a claim, from draft to published, with its corrections."""

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="verdict")
    rating = models.ForeignKey(VerdictRating, on_delete=models.PROTECT, related_name="verdicts")
    explanation = models.TextField()
    slug = models.SlugField(max_length=120, unique=True)
    evidence = models.ManyToManyField("Evidence", blank=True, related_name="verdicts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="verdicts_authored"
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="verdicts_approved",
    )
    return_comment = models.TextField(
        blank=True, help_text="Why the editor sent it back; shown to the author."
    )
    evidence_note = models.TextField(
        blank=True,
        help_text="The author's note on the evidence: required when every link the verdict "
        "rests on could not be fetched, to say how the claim was checked all the same.",
    )
    # What the public page shows of who said it and what, as the approving editor saw it
    # (taken by verdict_approve). A speaker is shared by every claim of theirs and reviewers
    # correct a speaker's role from any claim in review; the published record keeps the one it
    # was approved with, and shows a new one only when an editor publishes again.
    speaker_name = models.CharField(
        max_length=300,
        blank=True,
        help_text="The speaker as published: their name, or the outlet for its own statements.",
    )
    speaker_role = models.CharField(max_length=300, blank=True)
    speaker_kind = models.CharField(
        max_length=20,
        blank=True,
        choices=Speaker.Kind.choices,
        help_text="Empty when the claim had no named speaker (the outlet's own statement).",
    )
    claim_reviewed = models.TextField(
        blank=True, help_text="The claim's statement as published (ClaimReview's claimReviewed)."
    )
    # The rest of the published version (taken with the speaker by `take_snapshot`): a
    # published claim reopened for rework keeps its public page, feeds, counts and ClaimReview
    # exactly as last approved while reviewers change the draft above (rating, explanation,
    # evidence) and the claim; approving the rework publishes the new version.
    published_rating = models.ForeignKey(
        VerdictRating,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The rating as published; the draft's rating may differ while it is reworked.",
    )
    published_explanation = models.TextField(blank=True)
    published_speaker = models.ForeignKey(
        Speaker,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Whose public record the verdict counts in, as published.",
        # The partial index verdict_public_speaker_idx (Meta.indexes) serves every lookup.
        db_index=False,
    )
    published_quote = models.TextField(
        blank=True, help_text="The claim's words as published (the quote on the page)."
    )
    published_cue = models.CharField(max_length=100, blank=True)
    published_evidence = models.JSONField(
        default=list,
        blank=True,
        help_text="The sources as published: url, title, outlet and stance of each.",
    )
    taken_down_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When an editor took the public page down (legal or safety reasons); it "
        "stays down until the verdict is approved again.",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    public = models.BooleanField(
        default=False,
        editable=False,
        help_text="Shown on the public site: published and its claim published. Kept by "
        "database triggers (claims/counters.py), never set by code.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        constraints = [
            # Four eyes: nobody approves their own verdict.
            models.CheckConstraint(
                condition=Q(approver__isnull=True) | ~Q(approver=F("author")),
                name="verdict_approver_not_author",
            ),
            # A published verdict always has a published version to show.
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(published_rating__isnull=False),
                name="verdict_published_has_rating",
            ),
        ]
        indexes = [
            # The public lists, feeds and sitemap: a page of public verdicts, newest first, read
            # off the index whatever their number (and the offset of a deep page, up to the
            # lists' limit, read from the index alone). An index of every verdict's date, as
            # there was, drew the planner to it and past the unpublished ones.
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(public=True),
                name="verdict_public_idx",
            ),
            models.Index(
                fields=["published_rating", "-published_at", "-id"],
                condition=Q(public=True),
                name="verdict_public_rating_idx",
            ),
            # A speaker's public record (their page, feed, "other checks"): their public
            # verdicts only, newest first.
            models.Index(
                fields=["published_speaker", "-published_at", "-id"],
                condition=Q(public=True),
                name="verdict_public_speaker_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}: {self.claim}"

    def get_absolute_url(self) -> str:
        return reverse("public:verdict", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_public(self) -> bool:
        """Whether the public site shows it (what the triggers store in `public`)."""
        return self.published_at is not None and self.taken_down_at is None

    @property
    def in_rework(self) -> bool:
        """Public, and its claim reopened: the page shows the last published version."""
        return self.is_public and self.claim.status != self.claim.Status.PUBLISHED

    def take_snapshot(self) -> None:
        """Make the draft and the claim as they are now the published version: rating,
        explanation, evidence, the speaker and the statement (see `published_rating`)."""
        claim = self.claim
        speaker = claim.speaker if claim.speaker_id else None
        self.speaker_name = (speaker.name if speaker else claim.speaker_display_name)[:300]
        self.speaker_role = speaker.role if speaker else ""
        self.speaker_kind = speaker.kind if speaker else ""
        self.claim_reviewed = claim.display_statement
        self.published_speaker = speaker
        self.published_quote = claim.content
        self.published_cue = claim.cue
        self.published_rating = self.rating
        self.published_explanation = self.explanation
        self.published_evidence = (
            [
                published_evidence_item(item)
                for item in self.evidence.select_related("outlet").order_by("pk")
            ]
            if self.pk
            else []
        )

    @property
    def has_snapshot(self) -> bool:
        return bool(self.speaker_name)

    @property
    def shown_statement(self) -> str:
        """The claim as the public page, feeds and ClaimReview state it."""
        return self.claim_reviewed if self.has_snapshot else self.claim.display_statement

    @property
    def shown_quote(self) -> str:
        """The claim's words as published (the draft's may be corrected during rework)."""
        return self.published_quote or self.claim.content

    @property
    def shown_cue(self) -> str:
        return self.published_cue if self.published_rating_id else self.claim.cue

    @property
    def shown_speaker_name(self) -> str:
        if self.has_snapshot:
            return self.speaker_name
        claim = self.claim
        return claim.speaker.name if claim.speaker_id else claim.speaker_display_name

    @property
    def shown_speaker_role(self) -> str:
        if self.has_snapshot:
            return self.speaker_role
        return self.claim.speaker.role if self.claim.speaker_id else ""

    @property
    def shown_speaker_kind(self) -> str:
        """A speaker kind, or "" when the outlet made the statement itself."""
        if self.has_snapshot:
            return self.speaker_kind
        return self.claim.speaker.kind if self.claim.speaker_id else ""


def published_evidence_item(evidence: Evidence) -> dict[str, str]:
    """What the public page lists of one source, kept as published (Verdict.published_evidence):
    a reviewer changing a link's stance or title during rework leaves the page as approved."""
    return {
        "url": evidence.url,
        "title": evidence.title,
        "outlet": evidence.outlet.name if evidence.outlet_id else "",
        "stance": evidence.stance,
        "stance_label": str(Evidence.Stance(evidence.stance).label),
    }


class VerdictCorrection(models.Model):
    """A change to a published verdict: one editor proposes it, another approves it (four eyes,
    as for publishing), and only then does the public page change and list it with the rating
    before and after, when and why. Until then the page shows the verdict as last published.

    Unpublishing for rework is recorded here too; it is listed once the verdict is published
    again, by the editor who approves it then.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for a second editor"
        REWORK = "rework", "Unpublished for rework"
        APPLIED = "applied", "Published"
        REJECTED = "rejected", "Not published"

    verdict = models.ForeignKey(Verdict, on_delete=models.CASCADE, related_name="corrections")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    reason = models.TextField(help_text="Why the verdict is corrected; shown publicly.")
    previous_rating = models.ForeignKey(
        VerdictRating, on_delete=models.PROTECT, related_name="+", null=True
    )
    previous_explanation = models.TextField(blank=True)
    new_rating = models.ForeignKey(
        VerdictRating,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text="The rating proposed; the verdict's once approved.",
    )
    new_explanation = models.TextField(blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="proposed by",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text="The editor who approved or rejected it (empty for corrections made before "
        "they needed a second editor).",
    )
    decided_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was approved (published) or rejected."
    )
    decision_comment = models.TextField(blank=True, help_text="Why it was rejected.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # One proposal at a time: a second editor decides on one before another is made.
            models.UniqueConstraint(
                fields=["verdict"],
                condition=Q(status="proposed"),
                name="verdictcorrection_one_proposal_per_verdict",
            ),
            # Applied and rejected ones say who decided, and when (legacy rows: when only).
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "rework"]) | Q(decided_at__isnull=False),
                name="verdictcorrection_decided_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Correction to {self.verdict_id} on {self.created_at:%Y-%m-%d}"

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPLIED


class Evidence(models.Model):
    """A link that supports, refutes or gives context to a claim, found by a job or by hand."""

    class Stance(models.TextChoices):
        UNREVIEWED = "unreviewed", "Not reviewed"
        SUPPORTS = "supports", "Supports"
        REFUTES = "refutes", "Refutes"
        CONTEXT = "context", "Context"
        IRRELEVANT = "irrelevant", "Irrelevant"

    class FetchStatus(models.TextChoices):
        PENDING = "pending", "Fetching"
        READY = "ready", "Fetched"
        FAILED = "failed", "Could not fetch"
        NOT_NEEDED = "not_needed", "Not fetched"

    class LinkStatus(models.TextChoices):
        UNCHECKED = "unchecked", "Not checked yet"
        OK = "ok", "Link works"
        UNREACHABLE = "unreachable", "Could not be reached lately"
        CHANGED = "changed", "Page changed since it was found"
        GONE = "gone", "Page gone"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    url = models.URLField(max_length=2000, help_text="Normalised address of the evidence.")
    title = models.CharField(max_length=500, blank=True)
    outlet = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    published_on = models.DateField(null=True, blank=True)
    stance = models.CharField(max_length=12, choices=Stance.choices, default=Stance.UNREVIEWED)
    passage = models.TextField(blank=True, help_text="The passage that best matches the claim.")
    score = models.FloatField(null=True, blank=True)
    origin = models.CharField(
        max_length=50, default="manual", help_text="manual, or the provider that found it."
    )
    snapshot = models.TextField(blank=True, help_text="The fetched text, kept as found.")
    snapshot_sha256 = models.CharField(max_length=64, blank=True)
    fetch_status = models.CharField(
        max_length=12, choices=FetchStatus.choices, default=FetchStatus.NOT_NEEDED
    )
    fetch_enqueued_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the fetch job was handed to the job queue; empty while the queue could "
        "not be reached (a beat job sends it again).",
    )
    failure_reason = models.TextField(blank=True)
    suggested_stance = models.CharField(
        max_length=12,
        choices=Stance.choices,
        blank=True,
        help_text="What the evidence search thinks the stance is; a person still decides.",
    )
    suggestion_reason = models.CharField(
        max_length=300,
        blank=True,
        help_text='Why, e.g. "numbers disagree: 25 in the claim, 19 here".',
    )
    copy_group = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Evidence of one claim with the same value carries the same text (wire copies); "
        "the value is the id of the group's first piece.",
    )
    link_status = models.CharField(
        max_length=12, choices=LinkStatus.choices, default=LinkStatus.UNCHECKED
    )
    link_checked_at = models.DateTimeField(null=True, blank=True)
    link_flagged_at = models.DateTimeField(
        null=True, blank=True, help_text="Since when the link has been gone or changed."
    )
    link_note = models.CharField(max_length=500, blank=True)
    link_failures = models.PositiveSmallIntegerField(
        default=0, help_text="Checks in a row that could not reach the page."
    )
    page_sha256 = models.CharField(
        max_length=64,
        blank=True,
        help_text="SHA-256 of the page's text when it was first read from its address; link "
        "checks compare against it.",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-score", "created_at"]
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(fields=["claim", "url"], name="evidence_unique_url_per_claim"),
        ]
        indexes = [
            # The link-health sweep: links never checked or checked longest ago first.
            models.Index(fields=["link_checked_at", "id"], name="evidence_link_checked_idx"),
            # The job-queue sweep (claims.jobs.requeue_unsent_jobs): links still to fetch.
            models.Index(
                fields=["created_at"],
                condition=Q(fetch_status="pending"),
                name="evidence_fetch_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url

    @property
    def link_needs_attention(self) -> bool:
        return self.link_status in {self.LinkStatus.GONE, self.LinkStatus.CHANGED}


class PageSnapshot(models.Model):
    """A candidate page as the evidence search last read it, so that the same address is not
    fetched again within CORROBORATION_REFETCH_HOURS, whichever claim asks for it."""

    url = models.URLField(max_length=2000, unique=True, help_text="Normalised address asked for.")
    final_url = models.URLField(max_length=2000, blank=True)
    title = models.CharField(max_length=500, blank=True)
    site_name = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    text = models.TextField(blank=True)
    text_sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True, help_text="Why the page could not be read, if it was not.")
    retryable = models.BooleanField(
        default=False, help_text="The failure may pass (a timeout, a busy server): asked sooner."
    )
    fetched_at = models.DateTimeField()

    class Meta:
        ordering = ["-fetched_at"]

    def __str__(self) -> str:
        return self.url


class CorroborationRun(models.Model):
    """One run of the evidence search for a claim: what it is doing, and what it found."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Searching"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="corroboration_runs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=200, blank=True, help_text="What the job is doing now.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty when a claim's acceptance or a command started it.",
    )
    job_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    providers = models.JSONField(
        default=list,
        blank=True,
        help_text='Per provider: {"name", "status": ok/failed/skipped, "found", "error"}.',
    )
    found = models.PositiveIntegerField(default=0, help_text="Candidates stored or updated.")
    added = models.PositiveIntegerField(default=0, help_text="Candidates that were new.")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the search job was handed to the job queue; empty while the queue could "
        "not be reached (a beat job sends it again).",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One search at a time per claim: a second request while one runs is refused.
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(status__in=["queued", "running"]),
                name="corroborationrun_one_active_per_claim",
            ),
        ]
        indexes = [
            # The claim page's status line: the claim's latest run.
            models.Index(fields=["claim", "-created_at"], name="corrorun_claim_created_idx"),
            # The job-queue sweep (claims.jobs.requeue_unsent_jobs): searches not started.
            models.Index(
                fields=["created_at"], condition=Q(status="queued"), name="corrorun_queued_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"Evidence search for claim {self.claim_id} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def is_stale(self) -> bool:
        """Queued or running for longer than any job may live: its worker is gone (or there is
        none), and asking again starts a new search."""
        limit = datetime.timedelta(seconds=settings.CORROBORATION_TIME_LIMIT * 2 + 120)
        return self.is_active and self.created_at < timezone.now() - limit


class Comment(models.Model):
    """A note by staff on a claim; never public."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on claim {self.claim_id}"


class ClaimEvent(models.Model):
    """One entry of a claim's timeline: who did what, when, with the values before and after."""

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        STATUS_CHANGED = "status_changed", "Status changed"
        EDITED = "edited", "Edited"
        SPEAKER_CHANGED = "speaker_changed", "Speaker changed"
        ASSIGNED = "assigned", "Assigned"
        SPLIT = "split", "Split"
        MERGED = "merged", "Merged"
        EVIDENCE_ADDED = "evidence_added", "Evidence added"
        EVIDENCE_CHANGED = "evidence_changed", "Evidence changed"
        VERDICT_CHANGED = "verdict_changed", "Verdict changed"
        VERDICT_CORRECTED = "verdict_corrected", "Verdict corrected"
        CORRECTION_PROPOSED = "correction_proposed", "Correction proposed"
        CORRECTION_REJECTED = "correction_rejected", "Correction rejected"
        VERDICT_WITHDRAWN = "verdict_withdrawn", "Verdict withdrawn"
        COMMENTED = "commented", "Commented"
        CORROBORATION = "corroboration", "Corroboration"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="Empty when the system did it (a background job).",
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    field = models.CharField(max_length=50, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The claim page's timeline.
            models.Index(fields=["claim", "created_at"], name="claimevent_claim_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} on claim {self.claim_id}"


class FactCheck(models.Model):
    """A fact-check another organisation published, imported from its schema.org ClaimReview.

    The ClaimReview's `url` is the key: importing the same record again updates it in place.
    Each one is also an `ArchiveDocument` (kind `fact_check`), so that new claims are matched
    against it ("already fact-checked by …").
    """

    url = models.URLField(
        max_length=2000, unique=True, help_text="The fact-check's address (ClaimReview url)."
    )
    claim_reviewed = models.TextField(help_text="The claim as the fact-checker worded it.")
    rating = models.CharField(
        max_length=200, blank=True, help_text="The fact-checker's own rating, e.g. “False”."
    )
    rating_value = models.FloatField(null=True, blank=True)
    rating_best = models.FloatField(null=True, blank=True)
    rating_worst = models.FloatField(null=True, blank=True)
    publisher_name = models.CharField(max_length=300, blank=True)
    publisher_url = models.URLField(max_length=2000, blank=True)
    publisher = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fact_checks",
        help_text="The source the fact-check's address belongs to, when it is one we track.",
    )
    claimant = models.CharField(
        max_length=300, blank=True, help_text="Who made the claim (itemReviewed author)."
    )
    item_reviewed = models.JSONField(
        default=dict, blank=True, help_text="The ClaimReview's itemReviewed, as published."
    )
    name = models.CharField(max_length=500, blank=True, help_text="The fact-check's headline.")
    description = models.TextField(blank=True)
    language = models.CharField(max_length=20, blank=True)
    date_published = models.DateField(null=True, blank=True)
    date_modified = models.DateField(null=True, blank=True)
    claim_date = models.DateField(
        null=True, blank=True, help_text="When the claim was made (itemReviewed datePublished)."
    )
    imported_from = models.CharField(
        max_length=2000, blank=True, help_text="The file or address it was last imported from."
    )
    record_sha256 = models.CharField(
        max_length=64, help_text="SHA-256 of the record as imported; unchanged records are skipped."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date_published", "-id"]
        verbose_name = "imported fact-check"

    def __str__(self) -> str:
        return self.claim_reviewed[:80] or self.url


class ArchiveDocument(models.Model):
    """One searchable text of the newsroom's archive: an ingested article, a feed item, an
    imported fact-check, one of our published verdicts, or a text of the demo corpus.

    The full-text index is kept outside the model, by database triggers, so that every write
    (the ORM, bulk inserts, cascading deletes) keeps it in step: on PostgreSQL a stored
    `search_vector` tsvector column with a GIN index, on SQLite an FTS5 table. See
    `claims/corroboration/search_schema.py` and `claims/corroboration/archive.py`.
    """

    class Kind(models.TextChoices):
        ARTICLE = "article", "Ingested article"
        FEED_ITEM = "feed_item", "Feed item"
        FACT_CHECK = "fact_check", "Imported fact-check"
        VERDICT = "verdict", "Our published verdict"
        CORPUS = "corpus", "Demo corpus text"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(
        max_length=2100,
        unique=True,
        help_text="What the document is a copy of, e.g. article:12; writing the same key again "
        "updates the document.",
    )
    url = models.URLField(max_length=2000, blank=True)
    title = models.CharField(max_length=500, blank=True)
    text = models.TextField(blank=True)
    published_on = models.DateField(null=True, blank=True)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="archive_documents"
    )
    outlet_name = models.CharField(max_length=200, blank=True)
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="archive_documents",
    )
    fact_check = models.OneToOneField(
        FactCheck,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="archive_document",
    )
    verdict = models.OneToOneField(
        Verdict,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="archive_document",
    )
    # The optional semantic re-ranker's sentence embedding (float32), computed when first needed.
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    embedding_model = models.CharField(max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title or self.url or self.key

    @property
    def reviewed_claim(self) -> str:
        """For a fact-check or verdict: the claim it rated, as its publisher worded it."""
        if self.fact_check_id:
            return self.fact_check.claim_reviewed
        return self.title

    @property
    def rating_name(self) -> str:
        """For a fact-check or verdict: its rating ("False", "Mostly true"), else empty."""
        if self.fact_check_id:
            return self.fact_check.rating
        if self.verdict_id:
            return self.verdict.rating.name
        return ""


class MatchingSettings(models.Model):
    """How close a fact-check must be to a claim to show it as "already fact-checked".

    One row, edited by administrators in the Django admin (`MatchingSettings.current()`).
    """

    threshold = models.FloatField(
        default=0.6,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="From 0 to 1. Matches scoring at least this much are shown on the claim page "
        "and in the queue as “already fact-checked”. Lower shows more, and more wrong ones.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "fact-check matching settings"
        verbose_name_plural = "fact-check matching settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gte=0) & Q(threshold__lte=1),
                name="matchingsettings_threshold_0_1",
            ),
        ]

    def __str__(self) -> str:
        return f"Already fact-checked from {self.threshold:.2f}"

    def save(self, *args, **kwargs) -> None:
        self.pk = 1  # one row only
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> MatchingSettings:
        settings_row, _ = cls.objects.get_or_create(pk=1)
        return settings_row


class ClaimMatch(models.Model):
    """A published fact-check (another organisation's or ours) that may already cover a claim,
    found when the claim was created, edited or accepted."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="fact_check_matches")
    document = models.ForeignKey(
        ArchiveDocument, on_delete=models.CASCADE, related_name="claim_matches"
    )
    score = models.FloatField(help_text="0 to 1; comparable across claims.")
    rank = models.PositiveSmallIntegerField()
    reasons = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "document"], name="claimmatch_unique"),
        ]
        indexes = [
            # The claim page and the queue: a claim's matches above the threshold, best first.
            models.Index(fields=["claim", "-score"], name="claimmatch_claim_score_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} ~ {self.document} ({self.score:.2f})"


# Running counts, kept by database triggers (claims/counters.py) so that the queue and the
# dashboard read a handful of rows instead of counting the claims table on every request.


class ClaimStatusCount(models.Model):
    """How many claims are in one status."""

    status = models.CharField(max_length=20, unique=True, choices=Claim.Status.choices)
    count = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["status"]

    def __str__(self) -> str:
        return f"{self.status}: {self.count}"


class PublishedRatingCount(models.Model):
    """How many verdicts are public with one rating (published, and their claim published)."""

    # The rating's id without a foreign key: the triggers write these rows in the middle of any
    # delete, including a database flush that empties the ratings table first.
    rating_id = models.BigIntegerField(unique=True)
    count = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.rating_id}: {self.count}"


class SpeakerRatingCount(models.Model):
    """How many public verdicts one speaker has with one rating: their public record.

    Ids without foreign keys, as for PublishedRatingCount: a speaker or rating deleted leaves a
    row counting nothing.
    """

    speaker_id = models.BigIntegerField()
    rating_id = models.BigIntegerField()
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["speaker_id", "rating_id"], name="speakerratingcount_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"speaker {self.speaker_id}, rating {self.rating_id}: {self.count}"


class ActivityHour(models.Model):
    """Claims added and verdicts published in one hour (UTC), for the dashboard's weekly chart.

    Hours rather than days, so that weeks add up exactly in any time zone on a whole hour.
    """

    hour = models.DateTimeField(unique=True)
    claims_added = models.BigIntegerField(default=0)
    verdicts_published = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["hour"]

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H:00}: +{self.claims_added} / {self.verdicts_published}"


# Notifications: what staff are told about the claims they work on (claims/services/
# notifications.py writes them; a Celery task sends the e-mails).


class Notification(models.Model):
    """Something a person should know about a claim: shown under the bell, and e-mailed."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", "Assigned to you"
        AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
        RETURNED = "returned", "Verdict returned"
        PUBLISHED = "published", "Verdict published"
        MENTIONED = "mentioned", "Mentioned"
        CORROBORATION = "corroboration", "Evidence search"
        ALREADY_CHECKED = "already_checked", "Already fact-checked?"

    class Email(models.TextChoices):
        NONE = "", "Not e-mailed"
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Could not be sent"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who did what the notification is about; empty for a background job.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(max_length=500)
    in_app = models.BooleanField(
        default=True, help_text="Shown under the bell (off: only e-mailed, as the person chose)."
    )
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(
        max_length=10, choices=Email.choices, blank=True, default=Email.NONE
    )
    email_started_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The notifications page: a person's own, newest first, a page at a time.
            models.Index(
                fields=["recipient", "-id"],
                name="notification_recipient_idx",
                condition=Q(in_app=True),
            ),
            # The bell's unread count on every staff page.
            models.Index(
                fields=["recipient"],
                name="notification_unread_idx",
                condition=Q(in_app=True, read_at__isnull=True),
            ),
        ]

    # What each kind means, as the settings page asks it ("Tell me when …").
    WHEN = {
        Kind.ASSIGNED: "A claim is assigned to me",
        Kind.AWAITING_APPROVAL: "A verdict awaits approval (editors; not my own)",
        Kind.RETURNED: "My verdict is returned to me",
        Kind.PUBLISHED: "A verdict I wrote, or on a claim assigned to me, is published",
        Kind.MENTIONED: "Someone @mentions me in a comment",
        Kind.CORROBORATION: "An evidence search I asked for, or on my claim, finishes",
        Kind.ALREADY_CHECKED: "A claim I work on may already be fact-checked",
    }

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient} on claim {self.claim_id}"

    def get_absolute_url(self) -> str:
        return self.claim.get_absolute_url()


class NotificationPreference(models.Model):
    """One person's choice for one kind of notification; with no row, both are on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=20, choices=Notification.Kind.choices)
    in_app = models.BooleanField(default=True, help_text="Show it under the bell.")
    email = models.BooleanField(default=True, help_text="Send it by e-mail.")

    class Meta:
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notificationpreference_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} (in app {self.in_app}, e-mail {self.email})"


class SavedView(models.Model):
    """A set of queue filters a person saved under a name, shown beside the preset views."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    name = models.CharField(max_length=80)
    query = models.CharField(
        max_length=1000,
        help_text="The queue's filters as a query string, e.g. status=new&kind=direct.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="savedview_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    def get_absolute_url(self) -> str:
        return reverse("review:queue") + (f"?{self.query}" if self.query else "")


class Heartbeat(models.Model):
    """When a background process last showed it was alive: `beat` on its scheduler's ticks,
    `worker` each time a worker runs the heartbeat job that beat sends. `/healthz/ready` reports
    their age, so a stopped beat or a queue no worker drains is seen before feeds go stale."""

    name = models.CharField(max_length=50, unique=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M:%S}"


class PublicSiteVersion(models.Model):
    """One row: the version of everything the public site shows, and when it last changed.

    Saving anything a public page, feed or API answer shows (a verdict, a correction, a
    speaker, a rating, an outlet …) moves it on in the same transaction (claims/public_cache.py),
    so a cached public page keyed by an older version is never served again, in any process,
    and readers' ETags and Last-Modified dates change with it.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="public_site_version_one")]

    def __str__(self) -> str:
        return f"public site version {self.version} ({self.changed_at:%Y-%m-%d %H:%M:%S})"


class ReviewVersion(models.Model):
    """One row: the version of everything the review queue shows, and when it last changed.

    Database triggers move it on whenever a table the queue shows changes, whatever wrote it
    (claims/review_cache.py), so a queue page cached under an older version is never served.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="review_version_one")]

    def __str__(self) -> str:
        return f"review version {self.version} ({self.changed_at:%Y-%m-%d %H:%M:%S})"


class ApiToken(models.Model):
    """A person's key to the API (`Authorization: Bearer <token>`), acting with their roles.

    Only a SHA-256 hash of the token is kept: the token is shown once, when made, and a copy
    of the database cannot be used to call the API. Tokens are long random strings, so an
    unsalted hash is enough (nothing to guess from a dictionary). `prefix` tells tokens apart
    in lists without being usable.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True, help_text="What the token is for.")
    prefix = models.CharField(max_length=16, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "active"
        return f"{self.prefix}… of {self.user} ({state})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
