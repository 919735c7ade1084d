"""Reads and writes on sources: which outlet, agency or official body a web address belongs to."""

from __future__ import annotations

from urllib.parse import urlsplit

from claims.models import Source, SourceDomain, normalise_domain


def source_named(name: str) -> Source | None:
    """The source called ``name`` (any case), as a person or a page names an outlet."""
    name = " ".join((name or "").split())
    if not name:
        return None
    return Source.objects.filter(name__iexact=name).first()


def source_for_url(url: str) -> Source | None:
    """The source whose domain (or a parent domain) matches the URL's host."""
    host = normalise_domain(urlsplit(url).hostname or "")
    if not host:
        return None
    parts = host.split(".")
    candidates = [".".join(parts[i:]) for i in range(len(parts) - 1)]
    matches = {
        d.domain: d.source
        for d in SourceDomain.objects.filter(domain__in=candidates).select_related("source")
    }
    for candidate in candidates:  # most specific first
        if candidate in matches:
            return matches[candidate]
    return None
