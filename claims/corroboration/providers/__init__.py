"""Evidence providers: the archive, SearxNG, a generic JSON search API and Google's Fact Check
Tools, all behind `Provider` (see `base.py`). Which ones run is decided by settings: the archive
by default, each of the others only once it is configured.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings

from claims.corroboration.providers.base import (
    Candidate,
    Provider,
    ProviderError,
    ProviderReport,
)
from claims.corroboration.queries import ClaimQuery

logger = logging.getLogger(__name__)

__all__ = [
    "Candidate",
    "Provider",
    "ProviderError",
    "ProviderReport",
    "configured_providers",
    "search_providers",
]


def configured_providers() -> list[Provider]:
    """The providers the settings switch on, the archive first."""
    from claims.corroboration.providers.archive import ArchiveProvider
    from claims.corroboration.providers.factcheck_tools import FactCheckToolsProvider
    from claims.corroboration.providers.json_endpoint import JsonSearchProvider
    from claims.corroboration.providers.searxng import SearxngProvider

    providers: list[Provider] = []
    if settings.CORROBORATION_ARCHIVE:
        providers.append(ArchiveProvider())
    if settings.SEARXNG_URL:
        providers.append(
            SearxngProvider(
                base_url=settings.SEARXNG_URL,
                categories=settings.SEARXNG_CATEGORIES,
                language=settings.SEARXNG_LANGUAGE,
                timeout=settings.SEARXNG_TIMEOUT,
                rate_limit=settings.SEARXNG_RATE_LIMIT,
            )
        )
    if settings.SEARCH_JSON_URL:
        providers.append(
            JsonSearchProvider(
                url_template=settings.SEARCH_JSON_URL,
                results_path=settings.SEARCH_JSON_RESULTS_PATH,
                url_field=settings.SEARCH_JSON_URL_FIELD,
                title_field=settings.SEARCH_JSON_TITLE_FIELD,
                date_field=settings.SEARCH_JSON_DATE_FIELD,
                snippet_field=settings.SEARCH_JSON_SNIPPET_FIELD,
                header=settings.SEARCH_JSON_HEADER,
                timeout=settings.SEARCH_JSON_TIMEOUT,
                rate_limit=settings.SEARCH_JSON_RATE_LIMIT,
            )
        )
    if settings.FACTCHECK_TOOLS_API_KEY:
        providers.append(
            FactCheckToolsProvider(
                endpoint=settings.FACTCHECK_TOOLS_URL,
                api_key=settings.FACTCHECK_TOOLS_API_KEY,
                language=settings.FACTCHECK_TOOLS_LANGUAGE,
                timeout=settings.FACTCHECK_TOOLS_TIMEOUT,
                rate_limit=settings.FACTCHECK_TOOLS_RATE_LIMIT,
            )
        )
    return providers


def search_providers(
    query: ClaimQuery, providers: list[Provider], *, limit: int
) -> tuple[list[Candidate], list[ProviderReport]]:
    """Ask every provider; web APIs in parallel threads, database ones here.

    A provider that raises (a timeout, an error status, JSON of the wrong shape, a bug) is
    logged and reported, and the others' candidates are kept. Candidates come back in provider
    order, each provider's best first.
    """
    remote = [p for p in providers if not getattr(p, "uses_database", False)]
    results: dict[str, tuple[list[Candidate], ProviderReport]] = {}
    with ThreadPoolExecutor(max_workers=max(1, len(remote))) as pool:
        futures = {p.name: pool.submit(_ask, p, query, limit) for p in remote}
        for provider in providers:
            if provider.name not in futures:
                results[provider.name] = _ask(provider, query, limit)
        for name, future in futures.items():
            results[name] = future.result()
    candidates: list[Candidate] = []
    reports: list[ProviderReport] = []
    for provider in providers:
        found, report = results[provider.name]
        candidates.extend(found)
        reports.append(report)
    return candidates, reports


def _ask(provider: Provider, query: ClaimQuery, limit: int) -> tuple[list, ProviderReport]:
    started = time.monotonic()
    try:
        found = list(provider.search(query, limit=limit))
    except ProviderError as exc:
        logger.warning("Evidence provider %s failed: %s", provider.name, exc.reason)
        return [], ProviderReport(
            provider.name,
            "failed",
            error=exc.reason,
            seconds=time.monotonic() - started,
            retryable=exc.retryable,
        )
    except Exception as exc:  # a provider's bug must not stop the others
        logger.exception("Evidence provider %s raised", provider.name)
        return [], ProviderReport(
            provider.name,
            "failed",
            error=f"{provider.name} failed unexpectedly ({type(exc).__name__}).",
            seconds=time.monotonic() - started,
        )
    for candidate in found:
        candidate.provider = candidate.provider or provider.name
    return found, ProviderReport(
        provider.name, "ok", found=len(found), seconds=time.monotonic() - started
    )
