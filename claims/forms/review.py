"""Forms of the review area. They only validate; the services in claims.services do the writing.

Every form that changes a claim carries the claim's `version` as the person saw it, so that a
save against a newer version is refused (see claims.services.workflow.lock_claim).
"""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy

from claims import selectors
from claims.models import Article, Claim, Evidence, Source, Speaker, VerdictRating
from claims.services.claims import STATEMENT_MAX_CHARS


class QueueFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=200,
        label="Search",
        help_text='Words from the claim, its speaker or the article\'s headline; "a phrase" '
        "in quotes, -word to leave out.",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Search claims, speakers, headlines"}
        ),
    )
    status = forms.ChoiceField(
        choices=[
            ("", "Any status"),
            # New, in review or awaiting approval: someone still has to act on them.
            ("open", "Open"),
            *Claim.Status.choices,
        ],
        required=False,
    )
    mine = forms.BooleanField(required=False, label="Assigned to me")
    for_approval = forms.BooleanField(
        required=False, label="Awaiting my approval", help_text="Verdicts others wrote."
    )
    correction_waiting = forms.BooleanField(
        required=False,
        label="Correction waiting",
        help_text="Published verdicts with a correction waiting for a second editor.",
    )
    added = forms.ChoiceField(
        choices=[("", "Any time"), ("today", "Today"), ("week", "Past 7 days")],
        required=False,
        label="Added",
    )
    assignee = forms.IntegerField(required=False, widget=forms.Select)
    # A number, shown as a list of recent articles; links may name any article.
    article = forms.IntegerField(required=False, widget=forms.Select)
    speaker = forms.CharField(
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Speaker name"}),
    )
    kind = forms.ChoiceField(choices=[("", "Any kind"), *Claim.Kind.choices], required=False)
    score_min = forms.FloatField(
        required=False,
        min_value=0,
        max_value=1,
        label="Score from",
        widget=forms.NumberInput(attrs={"step": "0.05", "placeholder": "0"}),
    )
    score_max = forms.FloatField(
        required=False,
        min_value=0,
        max_value=1,
        label="to",
        widget=forms.NumberInput(attrs={"step": "0.05", "placeholder": "1"}),
    )
    # A source's id, shown as a list of the monitored sources; links may name any source.
    feed = forms.IntegerField(required=False, widget=forms.Select, label="From feed")
    overdue = forms.BooleanField(required=False, label="Overdue")
    # By name in links ("priority=urgent"), which read better than the stored numbers.
    priority = forms.ChoiceField(
        choices=[("", "Any priority")]
        + [(priority.name.lower(), priority.label) for priority in reversed(Claim.Priority)],
        required=False,
    )
    sort = forms.ChoiceField(
        choices=[
            ("score", "Check-worthiness"),
            ("newest", "Newest"),
            ("due", "Due date (claims with one)"),
            ("priority", "Priority (urgent first)"),
        ],
        required=False,
    )

    # The newest articles, offered in the article filter and listed under the queue; a link
    # may name any other article, which is then offered too.
    ARTICLE_CHOICES_LIMIT = 30

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.staff = [
            (user.pk, user.get_full_name() or user.get_username())
            for user in selectors.staff_users()
        ]
        self.recent_articles = list(
            Article.objects.only("id", "headline", "url", "status").order_by("-created_at")[
                : self.ARTICLE_CHOICES_LIMIT
            ]
        )
        self.monitored = [(source.pk, source.name) for source in selectors.monitored_sources()]

    SELECTS = ("status", "kind", "assignee", "article", "feed", "added", "priority", "sort")

    def options(self) -> dict[str, list[tuple[str, str, bool]]]:
        """(value, label, selected) for each list of the filter form, worked out once here:
        rendering them through the widgets cost more than the rest of the page."""
        return {name: self._options(name) for name in self.SELECTS}

    def _options(self, name: str) -> list[tuple[str, str, bool]]:
        chosen = (self.data.get(name) or "") if self.is_bound else ""
        if name == "assignee":
            choices = [("", "Anyone")] + [(str(pk), label) for pk, label in self.staff]
        elif name == "article":
            choices = [("", "All articles")] + [
                (str(article.pk), str(article)[:80]) for article in self.recent_articles
            ]
            if chosen.isdigit() and chosen not in {value for value, _ in choices}:
                article = Article.objects.only("id", "headline", "url").filter(pk=chosen).first()
                if article is not None:
                    choices.append((chosen, str(article)[:80]))
        elif name == "feed":
            choices = [("", "Any")] + [(str(pk), label) for pk, label in self.monitored]
            if chosen.isdigit() and chosen not in {value for value, _ in choices}:
                # A source no longer monitored: its claims keep their feed.
                source = Source.objects.only("id", "name").filter(pk=chosen).first()
                if source is not None:
                    choices.append((chosen, source.name))
        else:
            choices = [(str(value), str(label)) for value, label in self.fields[name].choices]
        return [(value, label, value == chosen) for value, label in choices]

    def to_filters(self) -> selectors.QueueFilters:
        # A value that does not make sense is dropped; the other filters still apply.
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return selectors.QueueFilters(
            status=data.get("status") or "",
            mine=bool(data.get("mine")),
            assignee=data.get("assignee"),
            article=data.get("article"),
            speaker=(data.get("speaker") or "").strip(),
            kind=data.get("kind") or "",
            score_min=data.get("score_min"),
            score_max=data.get("score_max"),
            q=(data.get("q") or "").strip(),
            feed_source=data.get("feed"),
            overdue=bool(data.get("overdue")),
            priority=Claim.Priority[data["priority"].upper()] if data.get("priority") else None,
            sort=data.get("sort") or "score",
            for_approval=bool(data.get("for_approval")),
            correction_waiting=bool(data.get("correction_waiting")),
            added=data.get("added") or "",
        )


class VersionedForm(forms.Form):
    """A form that edits a claim and carries the version the person saw."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def current(self, claim: Claim, name: str) -> str:
        value = getattr(claim, name, "")
        display = getattr(claim, f"get_{name}_display", None)
        return str(display() if callable(display) else value)


class ClaimEditForm(VersionedForm):
    # Content first: the conflict table lists fields in this order, the quote before the
    # statement drafted from it.
    content = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="The words as the article has them; shown as the quote.",
    )
    statement = forms.CharField(
        required=False,
        max_length=STATEMENT_MAX_CHARS,
        label="Statement",
        help_text="The claim as one sentence that makes sense on its own; the public page's "
        "title and ClaimReview's claimReviewed. Leave empty to use the draft.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    kind = forms.ChoiceField(choices=Claim.Kind.choices)
    checkworthiness = forms.FloatField(
        min_value=0,
        max_value=1,
        required=False,
        label="Check-worthiness",
        help_text="0 to 1; the queue lists the highest first.",
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )


class SpeakerForm(VersionedForm):
    name = forms.CharField(
        required=False,
        max_length=200,
        label="Speaker",
        help_text="Pick a known speaker or type a new name; leave empty for the outlet's own "
        "statement.",
        widget=forms.TextInput(attrs={"list": "speaker-names", "autocomplete": "off"}),
    )
    role = forms.CharField(required=False, max_length=300)
    speaker_kind = forms.ChoiceField(
        choices=Speaker.Kind.choices, required=False, label="Kind (new speakers)"
    )

    def current(self, claim: Claim, name: str) -> str:
        if claim.speaker is None:
            return "" if name != "name" else "(the outlet's own statement)"
        return {
            "name": claim.speaker.name,
            "role": claim.speaker.role,
            "speaker_kind": claim.speaker.get_kind_display(),
        }[name]


class MoveForm(VersionedForm):
    MOVES = {
        "accept": Claim.Status.IN_REVIEW,
        "restore": Claim.Status.NEW,
        "triage": Claim.Status.NEW,
    }
    move = forms.ChoiceField(choices=[(key, key) for key in MOVES])

    def current(self, claim: Claim, name: str) -> str:
        return claim.get_status_display()


class DismissForm(VersionedForm):
    reason = forms.ChoiceField(choices=Claim.DismissalReason.choices)
    duplicate_of = forms.IntegerField(
        required=False, min_value=1, label="Duplicate of claim number"
    )
    note = forms.CharField(required=False, max_length=500)

    def current(self, claim: Claim, name: str) -> str:
        if name == "reason":
            return claim.get_dismissal_reason_display()
        if name == "duplicate_of":
            return str(claim.duplicate_of_id or "")
        return claim.get_status_display()


class AssignForm(VersionedForm):
    assignee = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    take = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "Nobody")] + [
            (user.pk, user.get_full_name() or user.get_username())
            for user in selectors.staff_users()
        ]

    def current(self, claim: Claim, name: str) -> str:
        if claim.assignee is None:
            return "Nobody"
        return claim.assignee.get_full_name() or claim.assignee.get_username()


class ScheduleForm(VersionedForm):
    due_on = forms.DateField(
        required=False,
        label="Due",
        help_text="When the verdict is wanted; empty for no deadline.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    priority = forms.TypedChoiceField(
        choices=Claim.Priority.choices, coerce=int, initial=Claim.Priority.NORMAL
    )

    def current(self, claim: Claim, name: str) -> str:
        if name == "due_on":
            return f"{claim.due_on:%-d %b %Y}" if claim.due_on else "No due date"
        return claim.get_priority_display()


class CommentForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "placeholder": "Add a note for colleagues; @username tells them",
                # app.js offers staff from this address after "@".
                "data-mentions": reverse_lazy("review:mention_options"),
                "aria-autocomplete": "list",
            }
        ),
        max_length=5000,
        label="Comment",
    )


class SplitForm(VersionedForm):
    second_starts_with = forms.CharField(
        max_length=500,
        label="Second claim starts with",
        help_text="Copy the first words of the part that should become its own claim.",
    )

    def current(self, claim: Claim, name: str) -> str:
        return claim.content


class MergeForm(VersionedForm):
    other = forms.TypedChoiceField(coerce=int, label="Merge with")

    def __init__(self, *args, claim: Claim | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        siblings = selectors.sibling_claims(claim) if claim is not None else Claim.objects.none()
        self.fields["other"].choices = [
            (other.pk, f"#{other.pk}: {other.content[:90]}") for other in siblings
        ]

    def current(self, claim: Claim, name: str) -> str:
        return claim.content


class ManualClaimForm(forms.Form):
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    quote = forms.CharField(
        required=False,
        max_length=5000,
        label="Claim text",
        help_text="Select the words in the article, or paste them here exactly as written.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    speaker = forms.CharField(
        required=False,
        max_length=200,
        help_text="Leave empty for the outlet's own statement.",
        widget=forms.TextInput(attrs={"list": "speaker-names", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(
        choices=Claim.Kind.choices, initial=Claim.Kind.INDIRECT, required=False
    )

    def clean(self) -> dict:
        data = super().clean()
        has_span = data.get("start") is not None and data.get("end") is not None
        if not has_span and not (data.get("quote") or "").strip():
            raise forms.ValidationError("Select the claim's words in the article text first.")
        return data


class EvidenceAddForm(VersionedForm):
    url = forms.URLField(
        max_length=2000,
        label="Link",
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://…"}),
    )

    def current(self, claim: Claim, name: str) -> str:
        return f"{len(claim.evidence.all())} links"


class StanceForm(VersionedForm):
    stance = forms.ChoiceField(choices=Evidence.Stance.choices)

    def current(self, claim: Claim, name: str) -> str:
        return ""


class VerdictForm(VersionedForm):
    rating = forms.ModelChoiceField(
        queryset=VerdictRating.objects.order_by("order"),
        empty_label=None,
        widget=forms.RadioSelect,
    )
    explanation = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)
    evidence = forms.ModelMultipleChoiceField(
        queryset=Evidence.objects.none(),
        required=False,
        label="It rests on",
        widget=forms.CheckboxSelectMultiple,
    )
    evidence_note = forms.CharField(
        required=False,
        max_length=5000,
        label="Note on the evidence",
        help_text="Required when every link the verdict rests on could not be fetched: say how "
        "you checked the claim (an archived copy, a call, a document you hold).",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, claim: Claim | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if claim is not None:
            self.fields["evidence"].queryset = Evidence.objects.filter(claim=claim)
            self.fields["evidence"].label_from_instance = lambda e: e.title or e.url

    def current(self, claim: Claim, name: str) -> str:
        verdict = getattr(claim, "verdict", None)
        if verdict is None:
            return ""
        if name == "rating":
            return verdict.rating.name
        if name == "explanation":
            return verdict.explanation
        if name == "evidence_note":
            return verdict.evidence_note
        return ", ".join(e.title or e.url for e in verdict.evidence.all())


class WithdrawForm(VersionedForm):
    reason = forms.CharField(
        required=False,
        max_length=1000,
        label="Why (optional)",
        widget=forms.TextInput(attrs={"placeholder": "e.g. new evidence came in"}),
    )

    def current(self, claim: Claim, name: str) -> str:
        return claim.get_status_display()


class ApproveForm(VersionedForm):
    def current(self, claim: Claim, name: str) -> str:
        return claim.get_status_display()


class ReturnForm(VersionedForm):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, label="What should change"
    )

    def current(self, claim: Claim, name: str) -> str:
        return claim.get_status_display()


class CorrectForm(VersionedForm):
    rating = forms.ModelChoiceField(queryset=VerdictRating.objects.order_by("order"))
    explanation = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)
    reason = forms.CharField(
        max_length=1000,
        label="Reason (shown publicly)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def current(self, claim: Claim, name: str) -> str:
        verdict = getattr(claim, "verdict", None)
        if verdict is None or name == "reason":
            return ""
        return verdict.rating.name if name == "rating" else verdict.explanation


class CorrectionApproveForm(VersionedForm):
    def current(self, claim: Claim, name: str) -> str:
        return claim.get_status_display()


class CorrectionRejectForm(VersionedForm):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
        label="Why not (for the editor who proposed it)",
    )

    def current(self, claim: Claim, name: str) -> str:
        return claim.get_status_display()


class UnpublishForm(VersionedForm):
    reason = forms.CharField(
        max_length=1000,
        label="Why it needs rework (shown publicly once the rework is approved)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    take_down = forms.BooleanField(
        required=False,
        label="Also take the public page down until the rework is approved",
        help_text="Only for what must not stay up meanwhile, such as a legal or safety reason. "
        "Otherwise the page keeps the published version and tells readers it is being "
        "reviewed again.",
    )

    def current(self, claim: Claim, name: str) -> str:
        return claim.get_status_display()


class BulkActionForm(forms.Form):
    """The queue's bulk bar: an action, the claims ticked (each as "id:version", the version
    the queue showed), and what the action needs."""

    action = forms.ChoiceField(
        choices=[
            ("assign", "Assign"),
            ("take", "Take"),
            ("dismiss", "Dismiss"),
            ("accept", "Accept"),
            ("corroborate", "Start evidence search"),
        ]
    )
    claims = forms.CharField(required=False)  # read with getlist in clean_claims
    assignee = forms.IntegerField(required=False)
    reason = forms.ChoiceField(
        choices=[("", "Why dismiss?")]
        + [
            (value, label)
            for value, label in Claim.DismissalReason.choices
            if value != Claim.DismissalReason.DUPLICATE
        ],
        required=False,
    )
    note = forms.CharField(required=False, max_length=500)

    def clean_claims(self) -> list[tuple[int, int | None]]:
        items: list[tuple[int, int | None]] = []
        seen: set[int] = set()
        for value in self.data.getlist("claims"):
            pk, _, version = str(value).partition(":")
            if not pk.isdigit() or (version and not version.isdigit()):
                raise forms.ValidationError("Some of the chosen claims were not understood.")
            if int(pk) not in seen:
                seen.add(int(pk))
                items.append((int(pk), int(version) if version else None))
        if not items:
            raise forms.ValidationError("Choose the claims first.")
        return items
