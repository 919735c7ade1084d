"""The staff review area: reviewers and editors."""

from django.urls import path

from claims.views import review

app_name = "review"

urlpatterns = [
    path("", review.queue, name="queue"),
    # /review/articles/…
    path("articles/<int:pk>/", review.article_detail, name="article"),
    # /review/claims/…
    path("claims/<int:pk>/", review.claim_detail, name="claim"),
]
