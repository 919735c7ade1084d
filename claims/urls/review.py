"""The staff review area: reviewers and editors."""

from django.urls import path

from claims.views import (
    bulk,
    claim_actions,
    dashboard,
    exports,
    ingest,
    notifications,
    review,
    saved_views,
)

app_name = "review"

urlpatterns = [
    path("", review.queue, name="queue"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    # One action on the claims ticked in the queue
    path("bulk/", bulk.queue_bulk, name="queue_bulk"),
    # The queue's filters saved under a name
    path("views/", saved_views.saved_view_create, name="saved_view_create"),
    path("views/<int:pk>/delete/", saved_views.saved_view_delete, name="saved_view_delete"),
    # The queue under its filters, as a file (editors)
    path("export.csv", exports.export_csv, name="export_csv"),
    path("export.json", exports.export_json, name="export_json"),
    # /review/notifications/…
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.notifications_read_all, name="notifications_read"),
    path("notifications/bell/", notifications.notification_bell, name="notification_bell"),
    path(
        "notifications/settings/",
        notifications.notification_settings,
        name="notification_settings",
    ),
    # Staff to offer after "@" in a comment
    path("people/mentions/", notifications.mention_options, name="mention_options"),
    # /review/articles/…
    path("articles/new/", ingest.article_new, name="article_new"),
    path("articles/<int:pk>/status/", ingest.article_status, name="article_status"),
    path("articles/<int:pk>/retry/", ingest.article_retry, name="article_retry"),
    path("articles/<int:pk>/", review.article_detail, name="article"),
    path(
        "articles/<int:pk>/claims/new/",
        claim_actions.article_claim_create,
        name="article_claim_create",
    ),
    # /review/claims/…
    path("claims/<int:pk>/", review.claim_detail, name="claim"),
    path("claims/<int:pk>/edit/", claim_actions.claim_edit, name="claim_edit"),
    path("claims/<int:pk>/speaker/", claim_actions.claim_speaker, name="claim_speaker"),
    path("claims/<int:pk>/move/", claim_actions.claim_move, name="claim_move"),
    path("claims/<int:pk>/dismiss/", claim_actions.claim_dismiss, name="claim_dismiss"),
    path("claims/<int:pk>/assign/", claim_actions.claim_assign, name="claim_assign"),
    path("claims/<int:pk>/schedule/", claim_actions.claim_schedule, name="claim_schedule"),
    path("claims/<int:pk>/comment/", claim_actions.claim_comment, name="claim_comment"),
    path("claims/<int:pk>/split/", claim_actions.claim_split, name="claim_split"),
    path("claims/<int:pk>/merge/", claim_actions.claim_merge, name="claim_merge"),
    path("claims/<int:pk>/evidence/", claim_actions.evidence_add, name="evidence_add"),
    path("claims/<int:pk>/evidence/list/", review.claim_evidence, name="claim_evidence"),
    path("claims/<int:pk>/corroborate/", claim_actions.claim_corroborate, name="claim_corroborate"),
    path("claims/<int:pk>/corroboration/", review.claim_corroboration, name="claim_corroboration"),
    path("claims/<int:pk>/verdict/", claim_actions.verdict_submit, name="verdict_submit"),
    path("claims/<int:pk>/withdraw/", claim_actions.verdict_withdraw, name="verdict_withdraw"),
    path("claims/<int:pk>/approve/", claim_actions.verdict_approve, name="verdict_approve"),
    path("claims/<int:pk>/return/", claim_actions.verdict_return, name="verdict_return"),
    path("claims/<int:pk>/correct/", claim_actions.verdict_correct, name="verdict_correct"),
    path(
        "claims/<int:pk>/correct/approve/",
        claim_actions.verdict_correction_approve,
        name="verdict_correction_approve",
    ),
    path(
        "claims/<int:pk>/correct/reject/",
        claim_actions.verdict_correction_reject,
        name="verdict_correction_reject",
    ),
    path("claims/<int:pk>/unpublish/", claim_actions.verdict_unpublish, name="verdict_unpublish"),
    # /review/evidence/…
    path("evidence/<int:pk>/", review.evidence_item, name="evidence_item"),
    path("evidence/<int:pk>/stance/", claim_actions.evidence_stance, name="evidence_stance"),
]
