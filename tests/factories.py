"""factory-boy factories for the claims models."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from claims import roles
from claims.models import (
    Article,
    Claim,
    Evidence,
    Source,
    SourceDomain,
    Speaker,
    Verdict,
    VerdictRating,
)
from claims.services.verdicts import SNAPSHOT_FIELDS


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    email = factory.LazyAttribute(lambda o: f"{o.username}@newsroom.example")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def role(self, create: bool, extracted: str | None, **kwargs) -> None:
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


def reviewer(**kwargs):
    return UserFactory(role=roles.REVIEWER, **kwargs)


def editor(**kwargs):
    return UserFactory(role=roles.EDITOR, **kwargs)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Outlet {n}")
    slug = factory.Sequence(lambda n: f"outlet-{n}")


class SourceDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceDomain

    source = factory.SubFactory(SourceFactory)
    domain = factory.Sequence(lambda n: f"outlet{n}.example")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    headline = factory.Sequence(lambda n: f"Headline {n}")
    raw_text = factory.Faker("paragraph", nb_sentences=8)
    text = factory.LazyAttribute(lambda o: o.raw_text)
    content_hash = factory.Sequence(lambda n: f"{n:064x}")
    status = Article.Status.READY


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    name = factory.Sequence(lambda n: f"Speaker {n}")
    normalised_name = factory.LazyAttribute(lambda o: Speaker.normalise(o.name))
    slug = factory.Sequence(lambda n: f"speaker-{n}")
    kind = Speaker.Kind.PERSON


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    article = factory.SubFactory(ArticleFactory)
    speaker = factory.SubFactory(SpeakerFactory)
    speaker_text = factory.LazyAttribute(lambda o: o.speaker.name if o.speaker else "")
    cue = "said"
    content = factory.Sequence(lambda n: f"The strikes hit {n} targets in Iraq")
    sentence = factory.LazyAttribute(lambda o: o.content + ".")
    kind = Claim.Kind.INDIRECT
    start = factory.Sequence(lambda n: n * 10)
    end = factory.LazyAttribute(lambda o: o.start + 9)
    checkworthiness = 0.7


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    claim = factory.SubFactory(ClaimFactory)
    url = factory.Sequence(lambda n: f"https://evidence.example/page/{n}")
    title = factory.Sequence(lambda n: f"Evidence {n}")


class VerdictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Verdict
        # The published_version hook saves what it sets itself.
        skip_postgeneration_save = True

    claim = factory.SubFactory(ClaimFactory)
    rating = factory.LazyFunction(lambda: VerdictRating.objects.get(slug="false"))
    explanation = "Records show otherwise."
    slug = factory.Sequence(lambda n: f"verdict-{n}")
    author = factory.SubFactory(UserFactory)
    published_at = None
    # A verdict made published here has a published version, as verdict_approve gives it.
    published_rating = factory.LazyAttribute(lambda o: o.rating if o.published_at else None)
    published_explanation = factory.LazyAttribute(lambda o: o.explanation if o.published_at else "")
    published_speaker = factory.LazyAttribute(
        lambda o: o.claim.speaker if o.published_at and o.claim.speaker_id else None
    )

    @factory.post_generation
    def published_version(obj, create, extracted, **kwargs):
        """The rest of the published version (speaker, statement, quote, sources)."""
        if create and obj.published_at is not None:
            obj.take_snapshot()
            obj.save(update_fields=SNAPSHOT_FIELDS)
