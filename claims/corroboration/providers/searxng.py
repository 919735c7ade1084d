"""A self-hosted SearxNG instance, through its JSON API (`/search?format=json`)."""

from __future__ import annotations

from urllib.parse import urlencode

from claims.corroboration.providers.base import (
    Candidate,
    HttpProvider,
    parse_date,
    text_field,
)
from claims.corroboration.queries import ClaimQuery


class SearxngProvider(HttpProvider):
    """Web search through SearxNG; its `results` carry url, title, content and publishedDate."""

    name = "searxng"

    def __init__(
        self,
        *,
        base_url: str,
        timeout: float,
        rate_limit: str,
        categories: str = "",
        language: str = "",
    ) -> None:
        super().__init__(timeout=timeout, rate_limit=rate_limit)
        self.base_url = base_url.rstrip("/")
        self.categories = categories
        self.language = language

    def search(self, query: ClaimQuery, *, limit: int) -> list[Candidate]:
        params = {"q": query.keywords(), "format": "json"}
        if self.categories:
            params["categories"] = self.categories
        if self.language:
            params["language"] = self.language
        data = self.get_json(f"{self.base_url}/search?{urlencode(params)}")
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            raise self.shape_error('no "results" list')
        candidates = []
        for item in data["results"]:
            if not isinstance(item, dict) or not isinstance(item.get("url"), str):
                continue  # one odd result does not spoil the rest
            score = item.get("score")
            candidates.append(
                Candidate(
                    url=item["url"],
                    title=text_field(item, "title", 500),
                    snippet=text_field(item, "content"),
                    published_on=parse_date(item.get("publishedDate")),
                    provider=self.name,
                    rank=len(candidates),
                    provider_score=float(score) if isinstance(score, int | float) else None,
                )
            )
            if len(candidates) >= limit:
                break
        return candidates
