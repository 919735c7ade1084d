"""Google's Fact Check Tools API (`claims:search`): other fact-checkers' published reviews of
claims like this one. Used only when an API key is set."""

from __future__ import annotations

from urllib.parse import urlencode

from claims.corroboration.providers.base import (
    Candidate,
    HttpProvider,
    parse_date,
)
from claims.corroboration.queries import ClaimQuery


class FactCheckToolsProvider(HttpProvider):
    """Each `claimReview` of each returned claim is one candidate: the fact-check's page, its
    publisher and rating, and the claim it reviewed as the snippet."""

    name = "factcheck_tools"

    def __init__(
        self, *, endpoint: str, api_key: str, language: str, timeout: float, rate_limit: str
    ) -> None:
        super().__init__(timeout=timeout, rate_limit=rate_limit)
        self.endpoint = endpoint
        self.api_key = api_key
        self.language = language

    def search(self, query: ClaimQuery, *, limit: int) -> list[Candidate]:
        params = {"query": query.keywords(max_terms=8), "pageSize": str(limit), "key": self.api_key}
        if self.language:
            params["languageCode"] = self.language
        data = self.get_json(f"{self.endpoint}?{urlencode(params)}")
        if not isinstance(data, dict):
            raise self.shape_error("not an object")
        claims = data.get("claims", [])  # no "claims" at all means nothing was found
        if not isinstance(claims, list):
            raise self.shape_error('"claims" is not a list')
        candidates = []
        for claim in claims:
            if not isinstance(claim, dict) or not isinstance(claim.get("claimReview"), list):
                continue
            claimed = " ".join(str(claim.get("text") or "").split())
            claimant = " ".join(str(claim.get("claimant") or "").split())
            for review in claim["claimReview"]:
                if not isinstance(review, dict) or not isinstance(review.get("url"), str):
                    continue
                publisher = (
                    review.get("publisher") if isinstance(review.get("publisher"), dict) else {}
                )
                publisher_name = " ".join(str(publisher.get("name") or "").split())
                rating = " ".join(str(review.get("textualRating") or "").split())
                snippet = f"{claimant + ': ' if claimant else ''}{claimed}".strip()
                if rating:
                    snippet += f" — rated “{rating}”" + (
                        f" by {publisher_name}" if publisher_name else ""
                    )
                candidates.append(
                    Candidate(
                        url=review["url"],
                        title=" ".join(str(review.get("title") or claimed).split())[:500],
                        snippet=snippet[:2000],
                        published_on=parse_date(review.get("reviewDate") or claim.get("claimDate")),
                        outlet_name=publisher_name,
                        provider=self.name,
                        rank=len(candidates),
                        rating=rating,
                    )
                )
                if len(candidates) >= limit:
                    return candidates
        return candidates
