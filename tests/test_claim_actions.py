"""Every state-changing endpoint of the review area: the happy path (plain form and htmx), the
wrong method, the wrong role, and a save against a newer version (409, nothing lost)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Article, Claim, ClaimEvent, Evidence, Verdict, VerdictRating
from claims.services.claims import claim_accept
from claims.services.verdicts import correction_propose, verdict_approve, verdict_submit
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Users are created in every test; a fast hasher keeps the module quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


HTMX = {"HTTP_HX_REQUEST": "true"}
TEXT = (
    "The minister said the bridge will open in May and it will cost less than planned. "
    "Critics said the date is unrealistic."
)


@dataclass
class Case:
    """One endpoint: how to set it up, what to post, and what must be true afterwards."""

    url: str
    data: dict[str, object]
    check: Callable[[], None]
    claim: Claim


def _claim(**kwargs) -> Claim:
    article = factories.ArticleFactory(text=TEXT)
    defaults = {
        "article": article,
        "content": "the bridge will open in May and it will cost less than planned",
        "start": 18,
        "end": 80,
        "sentence_start": 0,
        "sentence_end": 82,
    }
    defaults.update(kwargs)
    return factories.ClaimFactory(**defaults)


def _in_review(reviewer) -> Claim:
    return claim_accept(claim=_claim(), by=reviewer)


def _awaiting(author) -> Claim:
    claim = claim_accept(claim=_claim(), by=author)
    verdict_submit(
        claim=claim,
        by=author,
        rating=VerdictRating.objects.get(slug="false"),
        explanation="Budget papers show an overrun.",
    )
    return Claim.objects.get(pk=claim.pk)


def _published(author, approver) -> Claim:
    claim = _awaiting(author)
    verdict_approve(verdict=claim.verdict, by=approver)
    return Claim.objects.get(pk=claim.pk)


def _fresh(claim: Claim) -> Claim:
    return Claim.objects.get(pk=claim.pk)


def case_edit(users) -> Case:
    claim = _claim()
    return Case(
        reverse("review:claim_edit", args=[claim.pk]),
        {"edit-version": 1, "edit-content": "The bridge opens in May", "edit-kind": "direct"},
        lambda: _check(_fresh(claim).content == "The bridge opens in May"),
        claim,
    )


def case_speaker(users) -> Case:
    claim = _claim()
    return Case(
        reverse("review:claim_speaker", args=[claim.pk]),
        {
            "speaker-version": 1,
            "speaker-name": "David Schenker",
            "speaker-role": "US Assistant Secretary of State",
            "speaker-speaker_kind": "person",
        },
        lambda: _check(
            _fresh(claim).speaker.name == "David Schenker"
            and _fresh(claim).speaker.role == "US Assistant Secretary of State"
        ),
        claim,
    )


def case_move(users) -> Case:
    claim = _claim()
    return Case(
        reverse("review:claim_move", args=[claim.pk]),
        {"move-version": 1, "move-move": "accept"},
        lambda: _check(_fresh(claim).status == Claim.Status.IN_REVIEW),
        claim,
    )


def case_dismiss(users) -> Case:
    claim = _claim()
    return Case(
        reverse("review:claim_dismiss", args=[claim.pk]),
        {"dismiss-version": 1, "dismiss-reason": "opinion", "dismiss-note": "A view, not a fact"},
        lambda: _check(
            _fresh(claim).status == Claim.Status.DISMISSED
            and _fresh(claim).dismissal_reason == "opinion"
        ),
        claim,
    )


def case_assign(users) -> Case:
    claim = _claim()
    return Case(
        reverse("review:claim_assign", args=[claim.pk]),
        {"assign-version": 1, "assign-assignee": users["reviewer"].pk},
        lambda: _check(_fresh(claim).assignee == users["reviewer"]),
        claim,
    )


def case_comment(users) -> Case:
    claim = _claim()
    return Case(
        reverse("review:claim_comment", args=[claim.pk]),
        {"comment-body": "Check the budget papers."},
        lambda: _check(claim.comments.get().body == "Check the budget papers."),
        claim,
    )


def case_split(users) -> Case:
    claim = _claim()
    return Case(
        reverse("review:claim_split", args=[claim.pk]),
        {"split-version": 1, "split-second_starts_with": "it will cost"},
        lambda: _check(
            _fresh(claim).content == "the bridge will open in May and"
            and Claim.objects.filter(article=claim.article, start=50, end=80).exists()
        ),
        claim,
    )


def case_merge(users) -> Case:
    claim = _claim(content="the bridge will open in May", start=18, end=45)
    other = _claim(
        article=claim.article, content="it will cost less than planned", start=50, end=80
    )
    return Case(
        reverse("review:claim_merge", args=[claim.pk]),
        {"merge-version": 1, "merge-other": other.pk},
        lambda: _check(
            _fresh(claim).content == TEXT[18:80] and _fresh(other).duplicate_of_id == claim.pk
        ),
        claim,
    )


def case_evidence_add(users) -> Case:
    claim = _claim()
    return Case(
        reverse("review:evidence_add", args=[claim.pk]),
        {"evidence-version": 1, "evidence-url": "https://www.reuters.com/world/bridge"},
        lambda: _check(
            claim.evidence.get().fetch_status == Evidence.FetchStatus.PENDING
            and claim.evidence.get().url.startswith("https://www.reuters.com/")
        ),
        claim,
    )


def case_evidence_stance(users) -> Case:
    evidence = factories.EvidenceFactory(claim=_claim())
    claim = evidence.claim
    return Case(
        reverse("review:evidence_stance", args=[evidence.pk]),
        {"stance-version": 1, "stance-stance": "refutes"},
        lambda: _check(Evidence.objects.get(pk=evidence.pk).stance == "refutes"),
        claim,
    )


def case_verdict_submit(users) -> Case:
    claim = _in_review(users["reviewer"])
    evidence = factories.EvidenceFactory(claim=claim)
    return Case(
        reverse("review:verdict_submit", args=[claim.pk]),
        {
            "verdict-version": claim.version,
            "verdict-rating": VerdictRating.objects.get(slug="false").pk,
            "verdict-explanation": "The budget papers show an overrun.",
            "verdict-evidence": [evidence.pk],
        },
        lambda: _check(
            _fresh(claim).status == Claim.Status.AWAITING_APPROVAL
            and list(_fresh(claim).verdict.evidence.all()) == [evidence]
        ),
        claim,
    )


def case_verdict_withdraw(users) -> Case:
    claim = _awaiting(users["reviewer"])
    return Case(
        reverse("review:verdict_withdraw", args=[claim.pk]),
        {"withdraw-version": claim.version, "withdraw-reason": "A new report came in."},
        lambda: _check(
            _fresh(claim).status == Claim.Status.IN_REVIEW
            and ClaimEvent.objects.filter(claim=claim, action="verdict_withdrawn").exists()
        ),
        claim,
    )


def case_verdict_approve(users) -> Case:
    claim = _awaiting(users["reviewer"])
    return Case(
        reverse("review:verdict_approve", args=[claim.pk]),
        {"approve-version": claim.version},
        lambda: _check(_fresh(claim).status == Claim.Status.PUBLISHED),
        claim,
    )


def case_verdict_return(users) -> Case:
    claim = _awaiting(users["reviewer"])
    return Case(
        reverse("review:verdict_return", args=[claim.pk]),
        {"return-version": claim.version, "return-comment": "Cite the budget."},
        lambda: _check(
            _fresh(claim).status == Claim.Status.IN_REVIEW
            and _fresh(claim).verdict.return_comment == "Cite the budget."
        ),
        claim,
    )


def case_verdict_correct(users) -> Case:
    claim = _published(users["reviewer"], users["other_editor"])
    return Case(
        reverse("review:verdict_correct", args=[claim.pk]),
        {
            "correct-version": claim.version,
            "correct-rating": VerdictRating.objects.get(slug="mostly-false").pk,
            "correct-explanation": "The overrun was smaller than first reported.",
            "correct-reason": "New figures from the ministry.",
        },
        # Proposed only: another editor approves it before the verdict changes.
        lambda: _check(
            _fresh(claim).verdict.rating.slug != "mostly-false"
            and _fresh(claim).verdict.corrections.get(status="proposed").reason
            == "New figures from the ministry."
        ),
        claim,
    )


def _with_proposal(users) -> Claim:
    """Published, with a correction proposed by the other editor (not the one posting)."""
    claim = _published(users["reviewer"], users["other_editor"])
    correction_propose(
        verdict=claim.verdict,
        by=users["other_editor"],
        reason="New figures from the ministry.",
        rating=VerdictRating.objects.get(slug="mostly-false"),
    )
    return _fresh(claim)


def case_verdict_correction_approve(users) -> Case:
    claim = _with_proposal(users)
    return Case(
        reverse("review:verdict_correction_approve", args=[claim.pk]),
        {"correction_approve-version": claim.version},
        lambda: _check(_fresh(claim).verdict.rating.slug == "mostly-false"),
        claim,
    )


def case_verdict_correction_reject(users) -> Case:
    claim = _with_proposal(users)
    return Case(
        reverse("review:verdict_correction_reject", args=[claim.pk]),
        {
            "correction_reject-version": claim.version,
            "correction_reject-comment": "The ministry's figures are provisional.",
        },
        lambda: _check(
            _fresh(claim).verdict.rating.slug == "false"
            and _fresh(claim).verdict.corrections.get().status == "rejected"
        ),
        claim,
    )


def case_verdict_unpublish(users) -> Case:
    claim = _published(users["reviewer"], users["other_editor"])
    return Case(
        reverse("review:verdict_unpublish", args=[claim.pk]),
        {"unpublish-version": claim.version, "unpublish-reason": "The date was wrong."},
        lambda: _check(_fresh(claim).status == Claim.Status.IN_REVIEW),
        claim,
    )


def case_article_claim_create(users) -> Case:
    claim = _claim(content="the bridge will open in May", start=18, end=45)
    start = TEXT.index("the date is unrealistic")
    return Case(
        reverse("review:article_claim_create", args=[claim.article_id]),
        {"start": start, "end": start + len("the date is unrealistic"), "speaker": "Critics"},
        lambda: _check(
            Claim.objects.filter(
                article=claim.article, content="the date is unrealistic", origin="manual"
            ).exists()
        ),
        claim,
    )


def _check(ok: bool) -> None:
    assert ok


REVIEWER_CASES = {
    "edit": case_edit,
    "speaker": case_speaker,
    "move": case_move,
    "dismiss": case_dismiss,
    "assign": case_assign,
    "comment": case_comment,
    "split": case_split,
    "merge": case_merge,
    "evidence_add": case_evidence_add,
    "evidence_stance": case_evidence_stance,
    "verdict_submit": case_verdict_submit,
    "verdict_withdraw": case_verdict_withdraw,
    "article_claim_create": case_article_claim_create,
}
EDITOR_CASES = {
    "verdict_approve": case_verdict_approve,
    "verdict_return": case_verdict_return,
    "verdict_correct": case_verdict_correct,
    "verdict_correction_approve": case_verdict_correction_approve,
    "verdict_correction_reject": case_verdict_correction_reject,
    "verdict_unpublish": case_verdict_unpublish,
}
ALL_CASES = {**REVIEWER_CASES, **EDITOR_CASES}
# These change the article's highlights, so htmx reloads the page instead of swapping the panel.
RELOADS = {"split", "merge", "article_claim_create"}


@pytest.fixture
def users(reviewer_user, editor_user, other_editor_user):
    return {"reviewer": reviewer_user, "editor": editor_user, "other_editor": other_editor_user}


def _client_for(name: str, editor_client, reviewer_client):
    return editor_client if name in EDITOR_CASES else reviewer_client


@pytest.mark.parametrize("name", ALL_CASES)
def test_happy_path_with_a_plain_form(name, users, reviewer_client, editor_client):
    case = ALL_CASES[name](users)
    response = _client_for(name, editor_client, reviewer_client).post(case.url, case.data)
    assert response.status_code == 302, response.content.decode()[:2000]
    case.check()


@pytest.mark.parametrize("name", ALL_CASES)
def test_happy_path_with_htmx_returns_the_fragment(name, users, reviewer_client, editor_client):
    case = ALL_CASES[name](users)
    client = _client_for(name, editor_client, reviewer_client)
    response = client.post(case.url, case.data, **HTMX)
    assert response.status_code == 200, response.content.decode()[:2000]
    if name in RELOADS:
        assert response.has_header("HX-Refresh") or response.has_header("HX-Redirect")
    else:
        body = response.content.decode()
        assert body.lstrip().startswith('<section id="claim-panel"')
        assert "<html" not in body
        fresh = _fresh(case.claim)
        assert f'data-version="{fresh.version}"' in body
    case.check()


@pytest.mark.parametrize("name", ALL_CASES)
def test_get_is_refused(name, users, reviewer_client, editor_client):
    case = ALL_CASES[name](users)
    assert _client_for(name, editor_client, reviewer_client).get(case.url).status_code == 405


@pytest.mark.parametrize("name", ALL_CASES)
def test_anonymous_is_sent_to_sign_in(name, users):
    case = ALL_CASES[name](users)
    response = Client().post(case.url, case.data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ALL_CASES)
def test_user_without_a_role_is_refused(name, users, plain_user_client):
    case = ALL_CASES[name](users)
    assert plain_user_client.post(case.url, case.data).status_code == 403


@pytest.mark.parametrize("name", EDITOR_CASES)
def test_reviewers_cannot_approve_return_or_correct(name, users):
    case = EDITOR_CASES[name](users)
    before = _fresh(case.claim)
    client = Client()
    client.force_login(factories.reviewer(username="another-reviewer"))
    assert client.post(case.url, case.data).status_code == 403
    after = _fresh(case.claim)
    assert (after.status, after.version) == (before.status, before.version)


def test_csrf_is_enforced(users, reviewer_user):
    case = case_edit(users)
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer_user)
    assert client.post(case.url, case.data).status_code == 403


def test_nobody_approves_their_own_verdict(editor_client, editor_user):
    claim = _awaiting(editor_user)
    url = reverse("review:verdict_approve", args=[claim.pk])
    response = editor_client.post(url, {"approve-version": claim.version}, **HTMX)
    assert response.status_code == 403
    assert "another editor has to approve it" in response.content.decode()
    assert _fresh(claim).status == Claim.Status.AWAITING_APPROVAL


def test_returned_verdict_shows_the_author_why(users, reviewer_client, editor_client):
    case = case_verdict_return(users)
    editor_client.post(case.url, case.data)
    body = reviewer_client.get(reverse("review:claim", args=[case.claim.pk])).content.decode()
    assert "Returned by the editor" in body
    assert "Cite the budget." in body


@pytest.mark.parametrize("htmx", [True, False])
def test_stale_edit_is_refused_with_both_versions_and_nothing_lost(
    htmx, reviewer_client, editor_user
):
    claim = _claim()
    from claims.services.claims import claim_update

    claim_update(claim=claim, by=editor_user, expected_version=1, content="Editor's wording")
    url = reverse("review:claim_edit", args=[claim.pk])
    data = {"edit-version": 1, "edit-content": "Reviewer's wording", "edit-kind": "indirect"}
    response = reviewer_client.post(url, data, **(HTMX if htmx else {}))
    assert response.status_code == 409
    body = response.content.decode()
    name = editor_user.get_full_name() or editor_user.get_username()
    assert f"changed by {name}" in body
    assert "Reviewer&#x27;s wording" in body  # what the person typed is still there
    assert "Editor&#x27;s wording" in body  # and what is saved now
    assert 'name="edit-version" value="2"' in body  # saving again is a deliberate choice
    assert _fresh(claim).content == "Editor's wording"
    # Saving again from the refreshed form works.
    data["edit-version"] = 2
    assert reviewer_client.post(url, data, **HTMX).status_code == 200
    assert _fresh(claim).content == "Reviewer's wording"


def test_stale_verdict_submit_keeps_the_explanation(reviewer_client, reviewer_user, editor_user):
    claim = _in_review(reviewer_user)
    from claims.services.claims import claim_update

    claim_update(claim=claim, by=editor_user, expected_version=claim.version, content="Changed")
    url = reverse("review:verdict_submit", args=[claim.pk])
    data = {
        "verdict-version": claim.version,
        "verdict-rating": VerdictRating.objects.get(slug="true").pk,
        "verdict-explanation": "A long explanation I do not want to lose.",
    }
    response = reviewer_client.post(url, data, **HTMX)
    assert response.status_code == 409
    assert "A long explanation I do not want to lose." in response.content.decode()
    assert not Verdict.objects.filter(claim=claim).exists()


def test_invalid_input_is_422_with_the_message(reviewer_client):
    claim = _claim()
    url = reverse("review:claim_dismiss", args=[claim.pk])
    response = reviewer_client.post(
        url, {"dismiss-version": 1, "dismiss-reason": "duplicate"}, **HTMX
    )
    assert response.status_code == 422
    assert "Choose the claim this one duplicates." in response.content.decode()
    assert _fresh(claim).status == Claim.Status.NEW


def test_dismiss_as_duplicate_links_the_other_claim(reviewer_client):
    claim = _claim()
    other = _claim(article=claim.article, content="x", start=0, end=12)
    url = reverse("review:claim_dismiss", args=[claim.pk])
    reviewer_client.post(
        url, {"dismiss-version": 1, "dismiss-reason": "duplicate", "dismiss-duplicate_of": other.pk}
    )
    assert _fresh(claim).duplicate_of == other
    body = reviewer_client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert f"claim #{other.pk}" in body


def test_take_it_assigns_to_me(reviewer_client, reviewer_user):
    claim = _claim()
    url = reverse("review:claim_assign", args=[claim.pk])
    reviewer_client.post(url, {"assign-version": 1, "assign-take": "on"})
    assert _fresh(claim).assignee == reviewer_user
    assert ClaimEvent.objects.filter(claim=claim, action=ClaimEvent.Action.ASSIGNED).exists()


def test_plain_form_returns_to_the_page_it_came_from(reviewer_client):
    claim = _claim()
    back = f"{claim.article.get_absolute_url()}?claim={claim.pk}"
    response = reviewer_client.post(
        reverse("review:claim_move", args=[claim.pk]),
        {"move-version": 1, "move-move": "accept", "next": back},
    )
    assert response["Location"] == back
    evil = reviewer_client.post(
        reverse("review:claim_move", args=[claim.pk]),
        {"move-version": 2, "move-move": "triage", "next": "https://evil.example/"},
    )
    assert evil["Location"] == claim.get_absolute_url()


def test_manual_claim_from_a_pasted_quote_without_javascript(reviewer_client):
    claim = _claim(content="the bridge will open in May", start=18, end=45)
    url = reverse("review:article_claim_create", args=[claim.article_id])
    response = reviewer_client.post(url, {"quote": "the date  is unrealistic", "kind": "indirect"})
    assert response.status_code == 302
    created = Claim.objects.get(article=claim.article, origin=Claim.Origin.MANUAL)
    assert created.content == "the date is unrealistic"
    assert created.kind == Claim.Kind.UNATTRIBUTED  # no speaker given


def test_manual_claim_with_text_not_in_the_article_is_refused(reviewer_client):
    claim = _claim()
    url = reverse("review:article_claim_create", args=[claim.article_id])
    response = reviewer_client.post(url, {"quote": "words nobody wrote", "kind": "indirect"})
    assert response.status_code == 422
    assert "not in the article" in response.content.decode()


def test_published_claims_are_not_edited_in_place(users, reviewer_client):
    claim = _published(users["reviewer"], users["other_editor"])
    url = reverse("review:claim_edit", args=[claim.pk])
    data = {"edit-version": claim.version, "edit-content": "Sneaky change", "edit-kind": "direct"}
    response = reviewer_client.post(url, data, **HTMX)
    assert response.status_code == 422
    assert "reopen it for rework" in response.content.decode()
    assert _fresh(claim).content != "Sneaky change"
    page = reviewer_client.get(reverse("review:claim", args=[claim.pk])).content.decode()
    assert "Edit content and kind" not in page


def test_dismissed_claims_cannot_be_split(reviewer_client):
    claim = _claim(status=Claim.Status.DISMISSED)
    url = reverse("review:claim_split", args=[claim.pk])
    response = reviewer_client.post(
        url, {"split-version": 1, "split-second_starts_with": "it will cost"}, **HTMX
    )
    assert response.status_code == 422
    assert Claim.objects.filter(article=claim.article).count() == 1


def test_score_can_be_corrected(reviewer_client):
    claim = _claim()
    url = reverse("review:claim_edit", args=[claim.pk])
    data = {
        "edit-version": 1,
        "edit-content": claim.content,
        "edit-kind": claim.kind,
        "edit-checkworthiness": "0.15",
    }
    assert reviewer_client.post(url, data, **HTMX).status_code == 200
    assert _fresh(claim).checkworthiness == 0.15
    assert ClaimEvent.objects.filter(claim=claim, field="checkworthiness").exists()


def test_a_failed_article_offers_no_missed_claim(reviewer_client):
    """A failed article (its page was refused, or its text changed under kept claims) is not
    one to add claims to: the page offers no "Add a missed claim", and the service refuses."""
    claim = _claim(content="the bridge will open in May", start=18, end=45)
    article = claim.article
    ready_page = reviewer_client.get(article.get_absolute_url()).content.decode()
    assert "Add a missed claim" in ready_page
    Article.objects.filter(pk=article.pk).update(
        status=Article.Status.FAILED, failure_reason="The page returned 404 (Not Found)."
    )
    page = reviewer_client.get(article.get_absolute_url()).content.decode()
    assert "Add a missed claim" not in page
    assert "Select words to add a missed claim" not in page
    assert "data-add-selection" not in page
    url = reverse("review:article_claim_create", args=[article.pk])
    response = reviewer_client.post(url, {"quote": "the bridge will open", "kind": "indirect"})
    assert response.status_code == 422
    assert "Claims can only be added to an article that has been read" in (
        response.content.decode()
    )
    assert not Claim.objects.filter(origin=Claim.Origin.MANUAL).exists()
