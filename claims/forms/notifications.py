"""The notification settings form: for each kind, in the app and by e-mail."""

from __future__ import annotations

from django import forms

from claims.models import Notification


class NotificationPreferencesForm(forms.Form):
    """Two checkboxes per kind of notification, named `<kind>-in_app` and `<kind>-email`."""

    def __init__(self, *args, current: dict[str, tuple[bool, bool]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in Notification.Kind.values:
            label = Notification.WHEN[kind]
            in_app, email = current.get(kind, (True, True))
            self.fields[f"{kind}-in_app"] = forms.BooleanField(
                required=False, initial=in_app, label=f"{label}: in the app"
            )
            self.fields[f"{kind}-email"] = forms.BooleanField(
                required=False, initial=email, label=f"{label}: by e-mail"
            )

    def rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        """(label, in-app box, e-mail box) per kind, for the settings table."""
        return [
            (Notification.WHEN[kind], self[f"{kind}-in_app"], self[f"{kind}-email"])
            for kind in Notification.Kind.values
        ]

    def choices(self) -> dict[str, tuple[bool, bool]]:
        data = self.cleaned_data
        return {
            kind: (bool(data.get(f"{kind}-in_app")), bool(data.get(f"{kind}-email")))
            for kind in Notification.Kind.values
        }
