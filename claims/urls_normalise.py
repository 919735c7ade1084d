"""URL normalising for de-duplication: one spelling per page, whatever link a person pasted.

The normalised address is also the address the app fetches and shows, so it must keep the page's
identity. w3lib's `canonicalize_url` (Scrapy's) does the spelling: host case, percent-encoding,
query order, no fragment. It never rewrites an address into another one, which is why courlan's
`clean_url` is not used here: it took `?next=https://evil.example/x` for "the real URL" and
fetched evil.example, collapsed `//` in `/web/2020/https://…` archive paths, and dropped any
parameter named like `ref`, `source` or `uid`, which some sites use to say which page it is.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

from claims.text_input import invalid_character_at

# Parameters that only say how a reader came to the page (campaign and click trackers); dropping
# them never changes the page. Anything not named here is kept.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",  # Facebook
        "gclid",  # Google Ads
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",  # Microsoft Ads
        "yclid",  # Yandex
        "twclid",  # X / Twitter
        "ttclid",  # TikTok
        "li_fat_id",  # LinkedIn
        "igshid",  # Instagram
        "igsh",
        "mc_cid",  # Mailchimp
        "mc_eid",
        "_ga",  # Google Analytics cross-domain
        "_gl",
        "_hsenc",  # HubSpot
        "_hsmi",
        "mkt_tok",  # Marketo
        "oly_anon_id",  # Omeda
        "oly_enc_id",
        "vero_id",  # Vero
        "vero_conv",
        "ocid",  # Microsoft/MSN referrals
        "cmpid",  # campaign ids used by news sites
        "xtor",  # AT Internet
        "at_medium",
        "at_campaign",
        "ito",  # BBC
        "smid",  # The New York Times share ids
        "s_cid",  # Adobe
        "s_kwcid",
        "wt_mc",  # Webtrends
        "wt.mc_id",
    }
)
# Whole families of campaign parameters: utm_source, utm_medium, … (Google), mtm_… and pk_…
# (Matomo).
TRACKING_PREFIXES = ("utm_", "mtm_", "pk_")


def normalise_url(url: str) -> str:
    """The address as stored: canonical spelling, no credentials, no tracking parameters.

    Scheme and host are lower-cased, a default port and the fragment are dropped, the query is
    sorted and only known tracking parameters leave it; everything else (a `next=` address,
    an archive path with `//` in it) is kept as it is. Credentials (`user:pass@`) are dropped:
    they are never needed to read a public article and must never be shown on a page.

    Raises ValueError for anything that is not an absolute http(s) address.
    """
    url = (url or "").strip()
    if invalid_character_at(url) is not None:
        raise ValueError(f"not an absolute http(s) address: {url!r}")
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        port = parts.port
    except ValueError:
        raise ValueError(f"not an absolute http(s) address: {url!r}") from None
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"} or not hostname or not _is_host_name(hostname):
        raise ValueError(f"not an absolute http(s) address: {url!r}")
    host = f"[{hostname}]" if ":" in hostname else hostname
    if port is not None and port != {"http": 80, "https": 443}[scheme]:
        host = f"{host}:{port}"
    query = urlencode(
        [
            (name, value)
            for name, value in parse_qsl(parts.query, keep_blank_values=True)
            if not _is_tracking(name)
        ]
    )
    rebuilt = urlunsplit((scheme, host, parts.path or "/", query, ""))
    try:
        return canonicalize_url(rebuilt, keep_fragments=False)
    except UnicodeError:  # a lone surrogate, or a host name IDNA cannot spell
        raise ValueError(f"not an absolute http(s) address: {url!r}") from None


def _is_host_name(hostname: str) -> bool:
    return not any(ch.isspace() or ord(ch) < 32 or ch in '\\<>"{}|^`' for ch in hostname)


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)
