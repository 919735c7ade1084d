"""Django admin: sources with their domains and feeds, the verdict scale, users and roles, and
read-only views of the workflow's records (claims, verdicts, corrections, evidence, comments and
the timeline).

Everything the review workflow owns changes only through `claims/services/` (the review pages,
or an admin action that calls a service), so that four eyes and the claim's timeline hold: the
admin never edits a status, a verdict, a correction, an evidence stance or a timeline entry, for
an administrator or a superuser alike. tests/test_admin_permissions.py walks every change form.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count

from claims import user_admin  # noqa: F401  (registers the user and group admins)
from claims.jobs import enqueue_feed_poll
from claims.models import (
    Article,
    Claim,
    ClaimEvent,
    Comment,
    CorroborationRun,
    Evidence,
    FactCheck,
    FeedItem,
    MatchingSettings,
    Source,
    SourceDomain,
    SourceFeed,
    Speaker,
    Verdict,
    VerdictCorrection,
    VerdictRating,
)
from claims.services.articles import article_retry
from claims.services.errors import ServiceError


class WorkflowRecordAdmin(admin.ModelAdmin):
    """Read-only for everyone, superusers included: these rows belong to the workflow.

    Editing one here would skip the second editor and leave no timeline entry (a published
    rating changed, a claim's status set by hand). Deleting one would take a public page or an
    audit entry away unrecorded. Staff still see them; changes go through the review pages.
    """

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class WorkflowRecordInline(admin.TabularInline):
    """An inline of workflow rows, shown to whoever may see its parent, never edited."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class SourceDomainInline(admin.TabularInline):
    model = SourceDomain
    extra = 1


class SourceFeedInline(admin.TabularInline):
    model = SourceFeed
    extra = 1
    fields = ["url", "title", "active", "last_success_at", "last_error"]
    readonly_fields = ["last_success_at", "last_error"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "reliability",
        "domain_list",
        "feed_count",
        "active",
        "auto_ingest",
        "ingest_threshold",
    ]
    list_filter = ["kind", "reliability", "active", "auto_ingest"]
    search_fields = ["name", "domains__domain", "notes"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SourceDomainInline, SourceFeedInline]
    actions = [
        "mark_active",
        "mark_inactive",
        "poll_feeds_now",
        "start_monitoring",
        "stop_monitoring",
    ]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "reliability", "active", "notes"]}),
        (
            "Monitoring",
            {
                "fields": ["auto_ingest", "ingest_threshold"],
                "description": "Ingest the articles this source's feeds list as they appear, "
                "and choose which of their claims reach the review queue.",
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("domains")
            .annotate(feed_total=Count("feeds", distinct=True))
        )

    @admin.display(description="Domains")
    def domain_list(self, obj: Source) -> str:
        return ", ".join(d.domain for d in obj.domains.all())

    @admin.display(description="Feeds", ordering="feed_total")
    def feed_count(self, obj: Source) -> int:
        return obj.feed_total

    @admin.action(description="Mark selected sources active")
    def mark_active(self, request, queryset) -> None:
        queryset.update(active=True)

    @admin.action(description="Mark selected sources inactive (feeds are no longer read)")
    def mark_inactive(self, request, queryset) -> None:
        queryset.update(active=False)

    @admin.action(description="Poll the selected sources' feeds now")
    def poll_feeds_now(self, request, queryset) -> None:
        _poll_now(self, request, SourceFeed.objects.filter(source__in=queryset, active=True))

    @admin.action(description="Monitor: ingest the selected sources' new feed articles")
    def start_monitoring(self, request, queryset) -> None:
        count = queryset.update(auto_ingest=True)
        self.message_user(
            request,
            f"{count} source(s) monitored: articles their feeds list from now on are ingested.",
        )

    @admin.action(description="Stop monitoring the selected sources")
    def stop_monitoring(self, request, queryset) -> None:
        count = queryset.update(auto_ingest=False)
        self.message_user(request, f"{count} source(s) no longer monitored.")


def _poll_now(model_admin: admin.ModelAdmin, request, feeds) -> None:
    """Queue a poll of each feed, due or not (inline when there is no broker)."""
    with transaction.atomic():
        count = 0
        for feed in feeds:
            enqueue_feed_poll(feed.pk, force=True)
            count += 1
    model_admin.message_user(
        request,
        f"{count} feed(s) queued for polling; their new items go into the archive."
        if count
        else "None of them has an active feed.",
        level=messages.SUCCESS if count else messages.WARNING,
    )


@admin.register(SourceFeed)
class SourceFeedAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "source",
        "active",
        "last_success_at",
        "failures",
        "short_error",
        "item_count",
    ]
    list_filter = ["active", "source"]
    search_fields = ["url", "title", "source__name"]
    list_select_related = ["source"]
    readonly_fields = [
        "last_fetched_at",
        "last_success_at",
        "last_error",
        "failures",
        "etag",
        "last_modified",
    ]
    actions = ["poll_now"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(items_total=Count("items"))

    @admin.display(description="Items", ordering="items_total")
    def item_count(self, obj: SourceFeed) -> int:
        return obj.items_total

    @admin.display(description="Last error")
    def short_error(self, obj: SourceFeed) -> str:
        return obj.last_error[:120]

    @admin.action(description="Poll the selected feeds now")
    def poll_now(self, request, queryset) -> None:
        _poll_now(self, request, queryset)


@admin.register(FeedItem)
class FeedItemAdmin(admin.ModelAdmin):
    """Read-only: items come from the feeds."""

    list_display = ["__str__", "feed", "published_at", "status", "article", "fetched_at"]
    list_filter = ["status", "feed__source"]
    search_fields = ["title", "url", "guid"]
    list_select_related = ["feed", "article"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CorroborationRun)
class CorroborationRunAdmin(admin.ModelAdmin):
    """Read-only: each evidence search, for finding out why one failed."""

    list_display = ["created_at", "claim", "status", "found", "added", "attempts", "error"]
    list_filter = ["status"]
    list_select_related = ["claim"]
    raw_id_fields = ["claim", "requested_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(VerdictRating)
class VerdictRatingAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "colour", "schema_rating"]
    list_editable = ["order", "colour"]
    list_display_links = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "outlet",
        "published_on",
        "status",
        "origin",
        "added_by",
        "created_at",
    ]
    list_filter = ["status", "kind", "origin", "outlet", "feed_source"]
    search_fields = ["headline", "url", "byline"]
    date_hierarchy = "created_at"
    list_select_related = ["outlet", "added_by"]
    # The ingest job owns the status and the text (claims' offsets point into it) and records
    # who added the article; the "ingest again" action below goes through the service. The
    # metadata a page may get wrong (headline, outlet, date, address) stays editable.
    readonly_fields = [
        "status",
        "failure_reason",
        "origin",
        "raw_text",
        "text",
        "original_filename",
        "feed_source",
        "added_by",
        "duplicate_of",
        "content_hash",
        "cleaned_hash",
        "ingest_job",
        "ingest_started_at",
        "ingest_attempts",
        "turns",
        "candidates",
        "created_at",
        "updated_at",
    ]
    exclude = ["ingest_lease"]
    actions = ["ingest_again"]

    @admin.action(description="Run the ingest job again (keeps claims people have touched)")
    def ingest_again(self, request, queryset) -> None:
        queued, refused = 0, []
        for article in queryset:
            try:
                article_retry(article=article, by=request.user)
                queued += 1
            except ServiceError as error:
                refused.append(f"{article}: {error.message}")
        if queued:
            self.message_user(request, f"{queued} article(s) queued for ingesting again.")
        for line in refused:
            self.message_user(request, line, level=messages.WARNING)


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name", "normalised_name", "role"]
    prepopulated_fields = {"slug": ["name"]}

    def get_deleted_objects(self, objs, request):
        """Refuse to delete a speaker that claims name: their claims would lose the speaker with
        no timeline entry (reviewers change a claim's speaker on its page)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        speakers = objs if isinstance(objs, list | tuple) else list(objs)
        for speaker in speakers:
            if Claim.objects.filter(speaker=speaker).exists():
                protected.append(f"{speaker}: claims name this speaker")
        return deleted, counts, perms_needed, protected


class ClaimEventInline(WorkflowRecordInline):
    model = ClaimEvent
    fields = ["created_at", "actor", "action", "field", "before", "after", "note"]
    readonly_fields = fields


@admin.register(Claim)
class ClaimAdmin(WorkflowRecordAdmin):
    """Claims change on their review page, where every change lands on the timeline."""

    list_display = [
        "__str__",
        "speaker",
        "kind",
        "status",
        "checkworthiness",
        "assignee",
        "article",
    ]
    list_filter = ["status", "kind", "origin"]
    search_fields = ["content", "speaker_text", "speaker__name"]
    list_select_related = ["speaker", "assignee", "article"]
    inlines = [ClaimEventInline]


class VerdictCorrectionInline(WorkflowRecordInline):
    model = VerdictCorrection
    fields = ["created_at", "corrected_by", "reason", "previous_rating"]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None) -> bool:
        # Corrections are part of the verdict: whoever may see it sees them.
        return request.user.has_perm("claims.view_verdict")


@admin.register(Verdict)
class VerdictAdmin(WorkflowRecordAdmin):
    """Verdicts are written, approved and corrected on the claim's review page (four eyes)."""

    list_display = ["claim", "rating", "author", "approver", "published_at"]
    list_filter = ["rating", "published_at"]
    search_fields = ["claim__content", "explanation"]
    list_select_related = ["claim", "rating", "author", "approver"]
    inlines = [VerdictCorrectionInline]


@admin.register(Evidence)
class EvidenceAdmin(WorkflowRecordAdmin):
    """Evidence and its stance are judged on the claim's page, where changes are recorded."""

    list_display = ["__str__", "claim", "outlet", "stance", "score", "origin", "fetch_status"]
    list_filter = ["stance", "origin", "fetch_status"]
    search_fields = ["url", "title", "passage"]
    list_select_related = ["claim", "outlet"]


@admin.register(Comment)
class CommentAdmin(WorkflowRecordAdmin):
    """A comment is its author's words: nobody else edits them."""

    list_display = ["claim", "author", "created_at"]
    search_fields = ["body"]
    list_select_related = ["claim", "author"]


@admin.register(ClaimEvent)
class ClaimEventAdmin(WorkflowRecordAdmin):
    """The audit trail: appended to by the services, never edited or deleted."""

    list_display = ["created_at", "claim", "actor", "action", "field"]
    list_filter = ["action"]
    list_select_related = ["claim", "actor"]


@admin.register(FactCheck)
class FactCheckAdmin(admin.ModelAdmin):
    """Imported with `manage.py import_claimreviews`; read here, never typed in."""

    list_display = ["claim_reviewed_short", "rating", "publisher_name", "date_published"]
    list_filter = ["publisher_name", "rating"]
    search_fields = ["claim_reviewed", "url", "name", "claimant"]
    date_hierarchy = "date_published"
    readonly_fields = [f.name for f in FactCheck._meta.fields]

    @admin.display(description="Claim reviewed")
    def claim_reviewed_short(self, obj: FactCheck) -> str:
        return obj.claim_reviewed[:100]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MatchingSettings)
class MatchingSettingsAdmin(admin.ModelAdmin):
    """One row: the score from which a claim is shown as already fact-checked."""

    list_display = ["__str__", "threshold", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return not MatchingSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        MatchingSettings.current()  # so that there is always the one row to edit
        return super().changelist_view(request, extra_context)


from claims import admin_tokens  # noqa: E402,F401  (registers the API tokens admin)
