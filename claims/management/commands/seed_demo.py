"""Load the demo: sources, one user per role, the corpus of related texts into the evidence
archive, and the reference article. Running it twice changes nothing. Refused unless DEBUG is
on, because it creates users with known passwords."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from claims import roles
from claims.corroboration.corpus import load_corpus
from claims.models import Article, Claim, Source, SourceDomain, SourceFeed, Verdict, VerdictRating
from claims.services.articles import article_submit_text, text_hash
from claims.services.claims import claim_accept
from claims.services.evidence import evidence_add
from claims.services.verdicts import verdict_approve, verdict_submit
from claims.urls_normalise import normalise_url

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo_data"
DEMO_ARTICLE = DEMO_DIR / "sky-baghdad-embassy-2019-12-31.txt"

SOURCES = [
    # name, kind, reliability, domains, feeds
    ("Sky News", Source.Kind.OUTLET, Source.Reliability.HIGH, ["news.sky.com", "sky.com"], []),
    ("Reuters", Source.Kind.AGENCY, Source.Reliability.HIGH, ["reuters.com"], []),
    ("Associated Press", Source.Kind.AGENCY, Source.Reliability.HIGH, ["apnews.com"], []),
    (
        "US Department of State",
        Source.Kind.GOVERNMENT,
        Source.Reliability.VERY_HIGH,
        ["state.gov", "usembassy.gov"],
        [],
    ),
    (
        "US Department of Defense",
        Source.Kind.GOVERNMENT,
        Source.Reliability.VERY_HIGH,
        ["defense.gov", "war.gov"],
        [],
    ),
    ("MSN", Source.Kind.OUTLET, Source.Reliability.MIXED, ["msn.com"], []),
    ("US Senate", Source.Kind.GOVERNMENT, Source.Reliability.VERY_HIGH, ["senate.gov"], []),
    (
        "US House of Representatives",
        Source.Kind.GOVERNMENT,
        Source.Reliability.VERY_HIGH,
        ["house.gov"],
        [],
    ),
]

# Three fact-checks of the reference article, published through the workflow so that the public
# site has something to show: (words of the claim, rating, explanation, evidence (url, title)).
DEMO_VERDICTS = [
    (
        "broken down the gate of the US embassy",
        "true",
        "Statements issued the same day by members of Congress describe the attack on the US "
        "embassy compound in Baghdad; Senator Jack Reed called it an attack by Shiite militia on "
        "the embassy compound.",
        (
            "https://www.reed.senate.gov/news/releases/reed-statement-on-us-embassy-attack-in-iraq",
            "Reed Statement on U.S. Embassy Attack in Iraq",
        ),
    ),
    (
        "three targets in Iraq and two in Syria",
        "mostly-true",
        "The US ambassador's statement of 30 December confirms US airstrikes in both Iraq and "
        "Syria the day before. It does not give the number of targets, which we could not "
        "confirm from a second source.",
        (
            "https://de.usembassy.gov/statement-by-u-s-ambassador-richard-grenell-on-u-s-"
            "airstrikes-in-iraq-and-syria/",
            "Statement by U.S. Ambassador Richard Grenell on U.S. Airstrikes in Iraq and Syria",
        ),
    ),
    (
        "US embassy staff and the US ambassador are not in the building",
        "unverifiable",
        "Reuters attributes this to Iraqi officials. Senator Reed said no Americans were harmed, "
        "but no source we could check says where the staff and the ambassador were.",
        (
            "https://www.reed.senate.gov/news/releases/reed-statement-on-us-embassy-attack-in-iraq",
            "Reed Statement on U.S. Embassy Attack in Iraq",
        ),
    ),
]

DEMO_PASSWORD = "factcheck-demo"  # noqa: S105 - demo only, refused unless DEBUG
USERS = [
    # username, role, is_staff, is_superuser
    ("reviewer", roles.REVIEWER, False, False),
    ("reviewer2", roles.REVIEWER, False, False),
    ("editor", roles.EDITOR, False, False),
    ("editor2", roles.EDITOR, False, False),
    ("admin", roles.ADMIN, True, True),
]


class Command(BaseCommand):
    help = "Create demo sources, one user per role and the reference article (DEBUG only)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates users with known passwords; it runs only with DEBUG on."
            )
        for name, kind, reliability, domains, feeds in SOURCES:
            source, _ = Source.objects.get_or_create(
                name=name, defaults={"kind": kind, "reliability": reliability}
            )
            for domain in domains:
                SourceDomain.objects.get_or_create(domain=domain, defaults={"source": source})
            for feed in feeds:
                SourceFeed.objects.get_or_create(url=feed, defaults={"source": source})
        User = get_user_model()
        for username, role, is_staff, is_superuser in USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "is_staff": is_staff,
                    "is_superuser": is_superuser,
                    "first_name": username.capitalize(),
                    # Notification e-mails go to the console in the demo.
                    "email": f"{username}@newsroom.example",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(Group.objects.get(name=role))
        documents = load_corpus()
        text = DEMO_ARTICLE.read_text(encoding="utf-8")
        if not Article.objects.filter(content_hash=text_hash(text)).exists():
            article_submit_text(
                text=text, by=User.objects.get(username="reviewer"), filename=DEMO_ARTICLE.name
            )
        self._publish_demo_verdicts(User)
        self.stdout.write(
            f"{documents} corpus texts are in the evidence archive (claims/demo_data/corpus)."
        )
        self.stdout.write(
            self.style.SUCCESS("Demo data is in place. Sign in at /accounts/login/ as:")
        )
        for username, role, _, _ in USERS:
            self.stdout.write(f"  {username:<10} {role:<9} password: {DEMO_PASSWORD}")

    def _publish_demo_verdicts(self, User) -> None:
        """Publish the demo fact-checks once the article's claims are there (tasks run inline in
        the demo; with a real broker they appear later, and running seed_demo again adds them)."""
        if Verdict.objects.filter(published_at__isnull=False).exists():
            return
        reviewer = User.objects.get(username="reviewer")
        editor = User.objects.get(username="editor")
        for words, rating, explanation, (url, title) in DEMO_VERDICTS:
            claim = Claim.objects.filter(content__contains=words, status=Claim.Status.NEW).first()
            if claim is None:
                self.stdout.write(f"No claim with {words!r} yet; its demo verdict is skipped.")
                continue
            claim = claim_accept(claim=claim, by=reviewer)
            # Accepting ran the evidence search, which may have found the same page already.
            evidence = claim.evidence.filter(url=normalise_url(url)).first() or evidence_add(
                claim=claim, url=url, by=reviewer, title=title
            )
            verdict = verdict_submit(
                claim=claim,
                by=reviewer,
                rating=VerdictRating.objects.get(slug=rating),
                explanation=explanation,
                evidence=[evidence],
            )
            verdict_approve(verdict=verdict, by=editor)
