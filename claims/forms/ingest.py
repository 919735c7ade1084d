"""Forms of the ingest page: a web address, pasted text, or an uploaded file. They only check
shape; the services in claims.services.articles decide what is refused and why."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.utils import timezone

from claims.extraction.dates import parse_date
from claims.fetching import describe_size
from claims.models import Article
from claims.services.articles import BAD_URL, FUTURE_DATE, UPLOAD_TOO_LARGE
from claims.urls_normalise import normalise_url

BAD_DATE = "Enter the date it was published, like 2024-03-14 or 14 March 2024."


class ArticleUrlForm(forms.Form):
    url = forms.URLField(
        label="Web address",
        max_length=2000,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://news.example.com/story", "size": 60}),
        help_text="The page is fetched and its article text read; tracking parameters are dropped.",
    )


class TranscriptFields(forms.Form):
    """Pasted and uploaded text may be a transcript: a debate, speech, interview or hearing."""

    transcript = forms.BooleanField(
        label="This is a transcript",
        required=False,
        help_text="Turns that start with the speaker's name and a colon (SANDERS: …, "
        "MR. TRUMP: …, Q: … A: …); each sentence is attributed to its turn's speaker.",
    )
    moderators = forms.CharField(
        label="Moderators or hosts",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": "Lester Holt, Martha Raddatz", "size": 50}),
        help_text="Transcripts only, when the text does not mark them (MODERATOR: …): their "
        "turns are set apart and yield no claims.",
    )

    def submit_options(self) -> dict[str, str]:
        """The keyword arguments of the submit services for these fields."""
        if not self.cleaned_data.get("transcript"):
            return {"kind": Article.Kind.ARTICLE}
        return {"kind": Article.Kind.TRANSCRIPT, "moderators": self.cleaned_data["moderators"]}


class PublicationDateField(forms.DateField):
    """A date picker's YYYY-MM-DD, or a date typed as outlets write them ("14 March 2024")."""

    default_error_messages = {"invalid": BAD_DATE}

    def to_python(self, value) -> dt.date | None:
        try:
            return super().to_python(value)
        except forms.ValidationError:
            parsed = parse_date(str(value))
            if parsed is None:
                raise
            return parsed


class PublishedFields(forms.Form):
    """Where and when pasted or uploaded text was published, when the person knows: these win
    over the byline and date lines the job reads from the text."""

    original_url = forms.URLField(
        label="Original address",
        required=False,
        max_length=2000,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://news.example.com/story", "size": 60}),
        help_text="The page the text comes from, if it has one (a paywalled page, one that "
        "could not be fetched). An address already here is not added twice.",
    )
    outlet = forms.CharField(
        label="Outlet",
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"placeholder": "Sky News", "size": 30, "list": "outlet-names"}
        ),
        help_text="Its name in the list of sources, if it is there; left empty, the outlet is "
        "found from the address or the text.",
    )
    published_on = PublicationDateField(
        label="Publication date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Left empty, it is read from the text's date line (“14 March 2024”).",
    )

    def clean_original_url(self) -> str:
        url = self.cleaned_data["original_url"]
        if url:
            try:
                normalise_url(url)
            except ValueError:
                raise forms.ValidationError(BAD_URL) from None
        return url

    def clean_published_on(self) -> dt.date | None:
        published = self.cleaned_data["published_on"]
        if published is not None and published > timezone.localdate():
            raise forms.ValidationError(FUTURE_DATE.format(date=published))
        return published

    def published_options(self) -> dict:
        """The keyword arguments of the submit services for these fields."""
        return {
            "original_url": self.cleaned_data.get("original_url") or "",
            "outlet": self.cleaned_data.get("outlet") or "",
            "published_on": self.cleaned_data.get("published_on"),
        }


class ArticlePasteForm(TranscriptFields, PublishedFields):
    text = forms.CharField(
        label="Article text",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 80}),
        help_text="Paste the whole article (page furniture and captions are dropped) or a "
        "transcript.",
    )


class ArticleUploadForm(TranscriptFields, PublishedFields):
    file = forms.FileField(
        label="File",
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.text,.html,.htm"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        limit = describe_size(settings.UPLOAD_MAX_BYTES)
        self.fields["file"].help_text = f"A .txt or .html file, up to {limit}."

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refused before it is read into memory; the service checks the bytes again.
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                UPLOAD_TOO_LARGE.format(limit=describe_size(settings.UPLOAD_MAX_BYTES))
            )
        return upload


INGEST_FORMS: dict[str, type[forms.Form]] = {
    "url": ArticleUrlForm,
    "paste": ArticlePasteForm,
    "upload": ArticleUploadForm,
}
