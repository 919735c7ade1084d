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
from claims.models import Article, Source, SourceDomain, SourceFeed
from claims.services.articles import article_submit_text, text_hash

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
        self.stdout.write(
            f"{documents} corpus texts are in the evidence archive (claims/demo_data/corpus)."
        )
        self.stdout.write(
            self.style.SUCCESS("Demo data is in place. Sign in at /accounts/login/ as:")
        )
        for username, role, _, _ in USERS:
            self.stdout.write(f"  {username:<10} {role:<9} password: {DEMO_PASSWORD}")
