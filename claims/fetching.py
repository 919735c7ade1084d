"""The one way the app fetches a web page: timeouts, a size cap, allowed types, checked redirects.

Every outbound HTTP request goes through `fetch_url`. Each hop of a redirect chain is resolved
with DNS, every address is checked against private, loopback, link-local and reserved ranges
(server-side request forgery), and the connection is then made to the checked address itself:
the URL's host is replaced by the IP, the `Host` header and the TLS server name (SNI, which is
also the name the certificate is verified against) keep the original host. So a DNS answer that
changes between the check and the connection (DNS rebinding) cannot send the request elsewhere.
`FETCH_ALLOW_PRIVATE_ADDRESSES=true` lifts the address check, for tests and intranet sources.

Errors are `FetchError`s whose `reason` is a sentence for a person, and whose `retryable` says
whether trying again later may help (timeouts, refused connections, 5xx, 429); `status` is the
HTTP status when the server answered with an error (link checks tell "gone" from "busy" by it).

Conditional requests (feeds): send `If-None-Match` / `If-Modified-Since` in `headers`, and a
304 answer comes back as a `FetchedPage` with `status_code == 304` and no content.
"""

from __future__ import annotations

import codecs
import ipaddress
import re
import socket
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit

import httpx
from django.conf import settings

from claims.text_input import make_valid

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/xml", "text/xml"}
)
JSON_TYPES = frozenset({"application/json"})

NOT_A_WEB_ADDRESS = (
    "The address {url} is not a web address; it must start with http:// or https://."
)
PRIVATE_ADDRESS = (
    "The address points to a private network ({host} is {ip}); only public web pages can be "
    "fetched."
)
HOST_NOT_FOUND = "The site {host} could not be found; check the address for typos."
HOST_LOOKUP_FAILED = "The name {host} could not be looked up just now; try again later."
CONNECT_FAILED = "Could not connect to {host}; the site may be down."
TIMED_OUT = "The site {host} did not answer within {seconds:g} seconds."
TOO_SLOW = "The page from {host} took longer than {seconds:g} seconds to arrive."
HTTP_ERROR = "The page returned {status} ({phrase})."
HTTP_ERROR_TRY_LATER = "The page returned {status} ({phrase}); the site may be busy, try later."
TOO_MANY_REDIRECTS = "The page redirected more than {limit} times; give the final address."
REDIRECT_WITHOUT_LOCATION = "The page returned a redirect ({status}) without saying where to."
TOO_LARGE = "The page is larger than the {limit} limit for fetched pages (FETCH_MAX_BYTES)."
WRONG_TYPE = (
    "The address serves {content_type}, not a web page; give the address of the article's page, "
    "or download the text and paste or upload it."
)
TRANSPORT_ERROR = "The page could not be fetched from {host} ({detail})."

_RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}
_REDIRECT_STATUSES = {301, 302, 303, 307, 308}
# Character sets no browser decodes a page in: UTF-7 hides markup from filters and spells lone
# surrogates, the escape codecs turn `\ud800` into one, and IDNA and Punycode are for host names.
_REFUSED_CHARSETS = frozenset({"utf-7", "unicode-escape", "raw-unicode-escape", "idna", "punycode"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)


class FetchError(Exception):
    """A page could not be fetched; `reason` is written for the person who gave the address."""

    def __init__(self, reason: str, retryable: bool = False, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.status = status


@dataclass
class FetchedPage:
    url: str  # the final address, after redirects
    status_code: int
    content_type: str  # the media type alone, lower-case, e.g. "text/html"
    text: str
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)


def fetch_url(
    url: str,
    *,
    max_bytes: int | None = None,
    accept: frozenset[str] = HTML_TYPES,
    timeout: float | None = None,
    headers: dict[str, str] | None = None,
) -> FetchedPage:
    """GET `url` following redirects, each hop checked; raise FetchError with a reason.

    `timeout` caps the connect and read timeouts below the global settings (search providers
    have their own, shorter ones); `headers` adds request headers (conditional GET, API keys).
    """
    limit = max_bytes if max_bytes is not None else settings.FETCH_MAX_BYTES
    connect_timeout = float(settings.FETCH_CONNECT_TIMEOUT)
    read_timeout = float(settings.FETCH_READ_TIMEOUT)
    if timeout is not None:
        connect_timeout = min(connect_timeout, timeout)
        read_timeout = min(read_timeout, timeout)
    # A server that drips a byte at a time never trips the read timeout; this bounds the whole.
    total_seconds = connect_timeout + 2 * read_timeout
    deadline = time.monotonic() + total_seconds
    timeout = httpx.Timeout(
        connect=connect_timeout, read=read_timeout, write=read_timeout, pool=connect_timeout
    )
    headers = {
        "User-Agent": settings.FETCH_USER_AGENT,
        "Accept": ", ".join(sorted(accept)) + ", */*;q=0.1",
        **(headers or {}),
    }
    for _hop in range(settings.FETCH_MAX_REDIRECTS + 1):
        # A client per hop: a pooled connection made for one host name must never carry a
        # request for another name that happens to resolve to the same address.
        with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
            page = _fetch_one(
                client,
                url,
                headers=headers,
                limit=limit,
                accept=accept,
                deadline=deadline,
                total_seconds=total_seconds,
            )
        if isinstance(page, FetchedPage):
            return page
        url = page  # a redirect: the next hop's address
    raise FetchError(TOO_MANY_REDIRECTS.format(limit=settings.FETCH_MAX_REDIRECTS))


def _fetch_one(
    client: httpx.Client,
    url: str,
    *,
    headers: dict[str, str],
    limit: int,
    accept: frozenset[str],
    deadline: float,
    total_seconds: float,
) -> FetchedPage | str:
    """One hop: the page, or the address the page redirects to."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme.lower() not in {"http", "https"} or not host:
        raise FetchError(NOT_A_WEB_ADDRESS.format(url=url))
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        raise FetchError(NOT_A_WEB_ADDRESS.format(url=url)) from None
    ip = resolve_public_address(host, port)
    request_url = httpx.URL(url).copy_with(host=ip)
    request = client.build_request(
        "GET",
        request_url,
        headers={**headers, "Host": parts.netloc.rsplit("@", 1)[-1]},
        extensions={"sni_hostname": host},
    )
    try:
        response = client.send(request, stream=True)
    except httpx.ConnectTimeout:
        raise FetchError(
            TIMED_OUT.format(host=host, seconds=client.timeout.connect), retryable=True
        ) from None
    except httpx.TimeoutException:
        raise FetchError(
            TIMED_OUT.format(host=host, seconds=client.timeout.read), retryable=True
        ) from None
    except httpx.ConnectError:
        raise FetchError(CONNECT_FAILED.format(host=host), retryable=True) from None
    except httpx.TransportError as exc:
        raise FetchError(
            TRANSPORT_ERROR.format(host=host, detail=type(exc).__name__), retryable=True
        ) from None
    try:
        status = response.status_code
        if status in _REDIRECT_STATUSES:
            location = response.headers.get("location")
            if not location:
                raise FetchError(REDIRECT_WITHOUT_LOCATION.format(status=status))
            return urljoin(url, location.strip())
        if status == HTTPStatus.NOT_MODIFIED and _is_conditional(headers):
            return FetchedPage(
                url=url,
                status_code=status,
                content_type="",
                text="",
                content=b"",
                headers=dict(response.headers),
            )
        if status >= 400:
            try:
                phrase = HTTPStatus(status).phrase
            except ValueError:
                phrase = "error"
            message = HTTP_ERROR_TRY_LATER if status in _RETRY_STATUSES else HTTP_ERROR
            raise FetchError(
                message.format(status=status, phrase=phrase),
                retryable=status in _RETRY_STATUSES,
                status=status,
            )
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(TOO_LARGE.format(limit=describe_size(limit)))
        content_type = _media_type(response.headers.get("content-type", ""))
        if content_type and content_type not in accept:
            raise FetchError(WRONG_TYPE.format(content_type=_describe_type(content_type)))
        content = _read_capped(
            response, limit=limit, deadline=deadline, host=host, total=total_seconds
        )
        if not content_type:
            # No declared type: only take it for a page if it looks like markup or plain text.
            content_type = _sniff_type(content)
            if content_type not in accept:
                raise FetchError(WRONG_TYPE.format(content_type=_describe_type(content_type)))
        return FetchedPage(
            url=url,
            status_code=status,
            content_type=content_type,
            text=decode_page(response.headers.get("content-type", ""), content),
            content=content,
            headers=dict(response.headers),
        )
    finally:
        response.close()


def _is_conditional(headers: dict[str, str]) -> bool:
    names = {name.lower() for name in headers}
    return bool(names & {"if-none-match", "if-modified-since"})


def resolve_public_address(host: str, port: int) -> str:
    """The IP to connect to for `host`; refused if any of its addresses is not public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        temporary = exc.errno in {socket.EAI_AGAIN, getattr(socket, "EAI_SYSTEM", None)}
        if temporary:
            raise FetchError(HOST_LOOKUP_FAILED.format(host=host), retryable=True) from None
        raise FetchError(HOST_NOT_FOUND.format(host=host)) from None
    except UnicodeError:
        raise FetchError(HOST_NOT_FOUND.format(host=host)) from None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise FetchError(HOST_NOT_FOUND.format(host=host))
    if not settings.FETCH_ALLOW_PRIVATE_ADDRESSES:
        # Every address counts, not just the first: a client may try any of them.
        for address in addresses:
            if not is_public_address(address):
                raise FetchError(PRIVATE_ADDRESS.format(host=host, ip=address))
    return addresses[0]


# IPv6 ranges that carry an IPv4 address inside them. A packet to one of them ends up at the
# IPv4 address (through a 6to4 or NAT64 gateway, a Teredo relay, or the host's own stack), so the
# address is only as public as the IPv4 address it wraps: 2002:7f00:1:: is 127.0.0.1.
_NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052
_NAT64_LOCAL_USE = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215: a private network's own
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # deprecated (RFC 4291), never routed today


def is_public_address(address: str) -> bool:
    """True when `address` reaches the public internet, IPv6 transition addresses included."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _NAT64_LOCAL_USE or ip in _IPV4_COMPATIBLE:
            return False
        embedded = embedded_ipv4_addresses(ip)
        if embedded:
            return all(_is_public_ip(inner) for inner in embedded)
    return _is_public_ip(ip)


def embedded_ipv4_addresses(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address wraps: IPv4-mapped, 6to4, NAT64 and Teredo (both its
    server and its client); empty for an ordinary IPv6 address."""
    if ip.ipv4_mapped is not None:
        return [ip.ipv4_mapped]
    if ip.sixtofour is not None:
        return [ip.sixtofour]
    if ip.teredo is not None:
        return list(ip.teredo)
    if ip in _NAT64_WELL_KNOWN:
        return [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)]
    return []


def _is_public_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global  # also shared address space (100.64.0.0/10) and the like
    )


def _read_capped(
    response: httpx.Response, *, limit: int, deadline: float, host: str, total: float
) -> bytes:
    """The decoded body, refused as soon as it passes `limit` bytes or the overall deadline."""
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise FetchError(TOO_LARGE.format(limit=describe_size(limit)))
            if time.monotonic() > deadline:
                raise FetchError(TOO_SLOW.format(host=host, seconds=total), retryable=True)
            chunks.append(chunk)
    except httpx.TimeoutException:
        raise FetchError(
            TIMED_OUT.format(host=host, seconds=float(settings.FETCH_READ_TIMEOUT)), retryable=True
        ) from None
    except httpx.DecodingError:
        raise FetchError(TRANSPORT_ERROR.format(host=host, detail="bad compression")) from None
    except httpx.TransportError as exc:
        raise FetchError(
            TRANSPORT_ERROR.format(host=host, detail=type(exc).__name__), retryable=True
        ) from None
    return b"".join(chunks)


def describe_size(size: int) -> str:
    """A byte count as people write it: 5 MB, 200 KB, 900 bytes."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def _media_type(header: str) -> str:
    return header.split(";", 1)[0].strip().lower()


def _describe_type(content_type: str) -> str:
    names = {
        "application/pdf": "a PDF document",
        "application/octet-stream": "a binary file",
        "application/json": "JSON data",
    }
    if content_type in names:
        return names[content_type]
    if content_type.startswith(("image/", "video/", "audio/")):
        return f"{content_type.split('/')[0]} ({content_type})"
    return content_type


def _sniff_type(content: bytes) -> str:
    head = content[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<p", b"<div")):
        return "text/html"
    if b"\x00" in content[:4096] or head.startswith(b"%pdf"):
        return "application/octet-stream"
    return "text/plain"


def decode_page(header: str, content: bytes) -> str:
    """The page's text in the declared character set, the page's own <meta charset>, or UTF-8.

    A name that is no text encoding a browser would use (`base64`, `unicode_escape`, `utf-7`)
    is passed over rather than trusted: those either fail to decode at all or spell lone
    surrogates. Bad bytes and lone surrogates come out as U+FFFD.
    """
    candidates = []
    for param in header.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            candidates.append(value.strip().strip("\"'"))
    match = _META_CHARSET.search(content[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii", errors="ignore"))
    for candidate in [*candidates, "utf-8"]:
        try:
            if codecs.lookup(candidate).name in _REFUSED_CHARSETS:
                continue
            text = content.decode(candidate, errors="replace")
        except (LookupError, UnicodeError):
            continue
        return make_valid(text)
    return make_valid(content.decode("utf-8", errors="replace"))
