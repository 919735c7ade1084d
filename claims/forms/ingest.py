"""Forms of the ingest page: a web address, pasted text, or an uploaded file. They only check
shape; the services in claims.services.articles decide what is refused and why."""

from __future__ import annotations

from django import forms
from django.conf import settings

from claims.fetching import describe_size
from claims.models import Article
from claims.services.articles import UPLOAD_TOO_LARGE


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


class ArticlePasteForm(TranscriptFields):
    text = forms.CharField(
        label="Article text",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 80}),
        help_text="Paste the whole article (page furniture and captions are dropped) or a "
        "transcript.",
    )


class ArticleUploadForm(TranscriptFields):
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
