"""Forms of the public site: the verdict search and the speaker search. They read the query
string; a value that makes no sense is dropped and the rest of the filters still apply."""

from __future__ import annotations

from django import forms

from claims import selectors

# A search box, not an essay: longer input is cut, as search engines do.
QUERY_MAX_CHARS = 200


class VerdictSearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        label="Search fact-checks",
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": "Words in the claim, the explanation or the speaker's name",
                "autocomplete": "off",
            }
        ),
    )
    rating = forms.ChoiceField(required=False, label="Rating")
    speaker = forms.ChoiceField(required=False, label="Speaker")
    outlet = forms.ChoiceField(required=False, label="Outlet")
    date_from = forms.DateField(
        required=False, label="Published from", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="to", widget=forms.DateInput(attrs={"type": "date"})
    )

    SPEAKER_CHOICES_LIMIT = 300

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = [("", "Any rating")] + [
            (rating.slug, rating.name) for rating in selectors.rating_scale()
        ]
        speakers = selectors.public_speakers(counted=False).only("name", "slug")
        speakers = speakers[: self.SPEAKER_CHOICES_LIMIT]
        speaker_choices = [(speaker.slug, speaker.name) for speaker in speakers]
        self.fields["speaker"].choices = [("", "Any speaker"), *speaker_choices]
        self.fields["outlet"].choices = [("", "Any outlet")] + [
            (name, name) for name in selectors.public_outlet_names()
        ]
        # A link may name a speaker or outlet beyond the lists above (from their own page).
        for name in ("speaker", "outlet"):
            value = (self.data.get(name) or "").strip() if self.is_bound else ""
            known = {slug for slug, _ in self.fields[name].choices}
            # A NUL character cannot be stored or searched for (PostgreSQL refuses it): such a
            # value stays unknown, so the form drops it like any other invalid choice.
            if value and value not in known and "\x00" not in value:
                self.fields[name].choices.append((value, value))

    def to_filters(self) -> selectors.VerdictFilters:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        # An invalid field is missing from cleaned_data; keep the others.
        return selectors.VerdictFilters(
            q=" ".join((data.get("q") or "").split())[:QUERY_MAX_CHARS],
            rating=data.get("rating") or "",
            speaker=data.get("speaker") or "",
            outlet=data.get("outlet") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class SpeakerSearchForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    q = forms.CharField(
        required=False,
        max_length=QUERY_MAX_CHARS,
        label="Search speakers",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Name or role", "autocomplete": "off"}
        ),
    )

    def query(self) -> str:
        self.is_valid()
        return " ".join((getattr(self, "cleaned_data", {}).get("q") or "").split())
