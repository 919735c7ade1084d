"""URL normalising for de-duplication: one spelling per page, whatever link a person pasted."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from courlan import clean_url, normalize_url


def normalise_url(url: str) -> str:
    """Scheme and host lower-cased, tracking parameters and fragment dropped, query sorted.

    Raises ValueError for anything that is not an absolute http(s) address.
    """
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"not an absolute http(s) address: {url!r}")
    cleaned = clean_url(url) or url
    normalised = normalize_url(cleaned)
    parts = urlsplit(normalised)
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))
