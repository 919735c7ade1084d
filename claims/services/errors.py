"""Errors the services raise; their messages are written to be shown to the person as they are."""

from __future__ import annotations

import datetime


class ServiceError(Exception):
    """A refused action, with a message a person can act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class IllegalTransition(ServiceError):
    pass


class PermissionRefused(ServiceError):
    pass


class StaleVersion(ServiceError):
    """The claim was changed by someone else since the person opened it."""

    def __init__(
        self, *, changed_by: str, changed_at: datetime.datetime | None, current_version: int
    ) -> None:
        when = f" at {changed_at:%H:%M on %d %b %Y}" if changed_at else ""
        super().__init__(
            f"This claim was changed by {changed_by}{when} since you opened it. "
            "Your edit was not saved; compare it with the current version below."
        )
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.current_version = current_version
