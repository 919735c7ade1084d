"""Put every article, published verdict and imported fact-check (back) into the archive.

New ones are indexed as they arrive; this is for a database that had them before the archive
existed, or after documents were deleted by hand. Safe to run any number of times.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from tqdm import tqdm

from claims.corroboration.archive import (
    archive_index_article,
    archive_index_fact_check,
    archive_index_verdict,
)
from claims.models import Article, FactCheck, Verdict


class Command(BaseCommand):
    help = "Index every ingested article, published verdict and imported fact-check again."

    def handle(self, *args, **options) -> None:
        quiet = options["verbosity"] == 0
        articles = Article.objects.select_related("outlet").order_by("pk")
        for article in tqdm(
            articles.iterator(chunk_size=200),
            total=articles.count(),
            desc="Articles",
            disable=quiet,
        ):
            archive_index_article(article=article)
        verdicts = Verdict.objects.select_related(
            "published_rating", "claim__speaker", "claim__article"
        ).order_by("pk")
        for verdict in tqdm(
            verdicts.iterator(), total=verdicts.count(), desc="Verdicts", disable=quiet
        ):
            archive_index_verdict(verdict=verdict)
        fact_checks = FactCheck.objects.select_related("publisher").order_by("pk")
        for fact_check in tqdm(
            fact_checks.iterator(chunk_size=1000),
            total=fact_checks.count(),
            desc="Fact-checks",
            disable=quiet,
        ):
            archive_index_fact_check(fact_check=fact_check)
        if not quiet:
            self.stdout.write(self.style.SUCCESS("The archive is up to date."))
