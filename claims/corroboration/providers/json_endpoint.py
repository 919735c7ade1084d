"""Any search API that answers JSON, described by settings: a URL template, where the results
list is, and which fields hold each result's address, title, date and snippet."""

from __future__ import annotations

from urllib.parse import quote_plus

from claims.corroboration.providers.base import (
    Candidate,
    HttpProvider,
    dig,
    parse_date,
)
from claims.corroboration.queries import ClaimQuery


class JsonSearchProvider(HttpProvider):
    """`url_template` holds `{query}` (and may hold `{limit}`); field names may be dotted paths
    ("meta.url") for APIs that nest them."""

    name = "web_search"

    def __init__(
        self,
        *,
        url_template: str,
        results_path: str,
        url_field: str,
        title_field: str,
        date_field: str,
        snippet_field: str,
        timeout: float,
        rate_limit: str,
        header: str = "",
    ) -> None:
        super().__init__(timeout=timeout, rate_limit=rate_limit)
        self.url_template = url_template
        self.results_path = results_path
        self.url_field = url_field
        self.title_field = title_field
        self.date_field = date_field
        self.snippet_field = snippet_field
        self.headers = {}
        if ":" in header:
            key, value = header.split(":", 1)
            self.headers[key.strip()] = value.strip()

    def search(self, query: ClaimQuery, *, limit: int) -> list[Candidate]:
        url = self.url_template.replace("{query}", quote_plus(query.keywords())).replace(
            "{limit}", str(limit)
        )
        data = self.get_json(url, headers=self.headers)
        results = dig(data, self.results_path)
        if not isinstance(results, list):
            raise self.shape_error(f'no list at "{self.results_path}"')
        candidates = []
        for item in results:
            address = dig(item, self.url_field)
            if not isinstance(address, str) or not address.strip():
                continue
            candidates.append(
                Candidate(
                    url=address.strip(),
                    title=_text(dig(item, self.title_field), 500),
                    snippet=_text(dig(item, self.snippet_field) if self.snippet_field else None),
                    published_on=parse_date(dig(item, self.date_field))
                    if self.date_field
                    else None,
                    provider=self.name,
                    rank=len(candidates),
                )
            )
            if len(candidates) >= limit:
                break
        return candidates


def _text(value: object, limit: int = 2000) -> str:
    return " ".join(value.split())[:limit] if isinstance(value, str) else ""
