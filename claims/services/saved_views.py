"""Writes of saved views: a person's named sets of queue filters.

Not claim changes, so nothing goes on a timeline; each person sees and changes only their own.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import QueryDict

from claims.models import SavedView
from claims.selectors import queue_filter_query
from claims.services.errors import ServiceError

MAX_SAVED_VIEWS = 30
NO_NAME = "Give the view a name."
NO_FILTERS = "Choose some filters first: this view would show the whole queue."
TOO_MANY = f"You have {MAX_SAVED_VIEWS} saved views; delete one first."
NOT_YOURS = "There is no such saved view of yours."


@transaction.atomic
def saved_view_save(*, user: AbstractBaseUser, name: str, query: str) -> SavedView:
    """Save the queue's filters under `name`; a view of the same name is replaced."""
    name = " ".join(name.split())[:80]
    if not name:
        raise ServiceError(NO_NAME)
    filters = queue_filter_query(QueryDict(query.lstrip("?")))
    if not filters or set(QueryDict(filters)) <= {"sort"}:
        raise ServiceError(NO_FILTERS)
    existing = SavedView.objects.select_for_update().filter(user=user, name=name).first()
    if existing is not None:
        existing.query = filters
        existing.save(update_fields=["query"])
        return existing
    if SavedView.objects.filter(user=user).count() >= MAX_SAVED_VIEWS:
        raise ServiceError(TOO_MANY)
    return SavedView.objects.create(user=user, name=name, query=filters)


def saved_view_delete(*, user: AbstractBaseUser, view_id: int) -> None:
    deleted, _ = SavedView.objects.filter(user=user, pk=view_id).delete()
    if not deleted:
        raise ServiceError(NOT_YOURS)
