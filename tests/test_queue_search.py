"""The queue's free-text search (`?q=`) and speaker filter, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from claims.models import Claim
from tests import factories

pytestmark = pytest.mark.django_db

QUEUE = "/review/"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def claims():
    schenker = factories.SpeakerFactory(name="David Schenker")
    embassy = factories.ArticleFactory(headline="Protesters storm the US embassy in Baghdad")
    elsewhere = factories.ArticleFactory(headline="Markets close higher")
    return {
        "strikes": factories.ClaimFactory(
            article=embassy,
            speaker=schenker,
            speaker_text="US Assistant Secretary of State David Schenker",
            content="The strikes were a message to Iran",
        ),
        "staff": factories.ClaimFactory(
            article=embassy,
            speaker=None,
            speaker_text="",
            kind=Claim.Kind.UNATTRIBUTED,
            content="Embassy staff were not in the building",
        ),
        "markets": factories.ClaimFactory(
            article=elsewhere,
            speaker=factories.SpeakerFactory(name="Jane Trader"),
            content="Shares rose three per cent",
            status=Claim.Status.DISMISSED,
        ),
    }


def _listed(client, claims, **params) -> set[str]:
    body = client.get(QUEUE, params).content.decode()
    return {name for name, claim in claims.items() if claim.get_absolute_url() in body}


def test_search_finds_words_of_the_claim(reviewer_client, claims):
    # "strike" finds "strikes": a stem on PostgreSQL, a substring on SQLite.
    assert _listed(reviewer_client, claims, q="strike") == {"strikes"}
    assert _listed(reviewer_client, claims, q="building") == {"staff"}


def test_search_finds_the_standalone_statement(reviewer_client, claims, reviewer_user):
    from claims.services.claims import claim_update

    claim = claims["staff"]
    claim_update(
        claim=claim,
        by=reviewer_user,
        expected_version=claim.version,
        statement="The ambassador was away from the compound",
    )
    assert _listed(reviewer_client, claims, q="ambassador") == {"staff"}


def test_search_finds_the_speaker_as_named_and_as_written(reviewer_client, claims):
    assert _listed(reviewer_client, claims, q="Schenker") == {"strikes"}
    assert _listed(reviewer_client, claims, q="assistant secretary") == {"strikes"}
    assert _listed(reviewer_client, claims, q="trader") == {"markets"}


def test_search_finds_the_headline(reviewer_client, claims):
    assert _listed(reviewer_client, claims, q="baghdad") == {"strikes", "staff"}


def test_every_word_must_match_somewhere(reviewer_client, claims):
    assert _listed(reviewer_client, claims, q="schenker baghdad") == {"strikes"}
    assert _listed(reviewer_client, claims, q="schenker markets") == set()


def test_search_combines_with_the_filters_and_counts(reviewer_client, claims):
    response = reviewer_client.get(QUEUE, {"q": "baghdad", "kind": "unattributed"})
    assert "Embassy staff were not in the building" in response.content.decode()
    assert "The strikes were a message" not in response.content.decode()
    counts = {value: n for value, _, n, _capped in response.context["counts"]}
    assert counts == {**dict.fromkeys(Claim.Status.values, 0), "new": 1}
    dismissed = reviewer_client.get(QUEUE, {"q": "shares", "status": "dismissed"})
    assert "Shares rose" in dismissed.content.decode()


@pytest.mark.parametrize(
    "query", ['"unclosed', "-", "a & b | !c", "'); DROP TABLE claims_claim; --", "ü" * 300]
)
def test_odd_search_text_is_no_error(reviewer_client, claims, query):
    response = reviewer_client.get(QUEUE, {"q": query})
    assert response.status_code == 200
    assert Claim.objects.count() == 3


def test_search_keeps_its_words_in_the_page_links(reviewer_client):
    factories.ClaimFactory.create_batch(27, content="Rockets hit the base")
    body = reviewer_client.get(QUEUE, {"q": "rockets"}).content.decode()
    assert 'value="rockets"' in body
    assert "q=rockets&amp;after=" in body


def test_speaker_filter_matches_part_of_the_speakers_name(reviewer_client, claims):
    assert _listed(reviewer_client, claims, speaker="schen") == {"strikes"}
    assert _listed(reviewer_client, claims, speaker="david schenker") == {"strikes"}
    assert _listed(reviewer_client, claims, speaker="jane") == {"markets"}
    assert _listed(reviewer_client, claims, speaker="nobody") == set()
    # The words the article used for the speaker are found by the search, not this filter.
    assert _listed(reviewer_client, claims, speaker="assistant secretary") == set()


# On PostgreSQL these go through the triggers that refresh the search column; on SQLite the
# search reads the columns themselves.


def test_renaming_a_speaker_updates_the_search(reviewer_client, claims):
    speaker = claims["markets"].speaker
    speaker.name = "Janet Yellen"
    speaker.save()
    assert _listed(reviewer_client, claims, q="yellen") == {"markets"}
    assert _listed(reviewer_client, claims, speaker="ellen") == {"markets"}


def test_a_new_headline_updates_the_search(reviewer_client, claims):
    article = claims["markets"].article
    article.headline = "Stocks rally in Tokyo"
    article.save()
    assert _listed(reviewer_client, claims, q="tokyo") == {"markets"}
    assert _listed(reviewer_client, claims, q="markets") == set()


def test_editing_a_claim_updates_the_search(reviewer_client, claims, reviewer_user):
    from claims.services.claims import claim_update

    claim = claims["staff"]
    claim_update(
        claim=claim, by=reviewer_user, expected_version=claim.version, content="Nobody was hurt"
    )
    assert _listed(reviewer_client, claims, q="hurt") == {"staff"}
    assert _listed(reviewer_client, claims, q="building") == set()
