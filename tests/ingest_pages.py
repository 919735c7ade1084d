"""Pages for the ingestion tests, served by a local web server that stands in for news sites."""

from __future__ import annotations

import html
from pathlib import Path

REFERENCE_ARTICLE = (
    Path(__file__).resolve().parent.parent
    / "claims"
    / "demo_data"
    / "sky-baghdad-embassy-2019-12-31.txt"
)

PARAGRAPHS = [
    "Protesters stormed the outer wall of the US embassy compound in Baghdad on Tuesday, "
    "setting fire to a reception area.",
    "US Assistant Secretary of State David Schenker said the strikes, carried out by F-15 "
    "planes, were a message to Iran after months of \u201crestraint\u201d.",
    "Reuters, citing Iraqi officials, reported that the ambassador and embassy staff were not "
    "in the building.",
    "More than 5,000 US military personnel are based in Iraq, according to the Pentagon.",
]


def article_html(
    title: str = "Protesters storm US embassy in Baghdad",
    paragraphs: list[str] | None = None,
    *,
    site_name: str = "Example News",
    author: str = "Jane Smith",
    date: str = "2019-12-31",
) -> str:
    """A news page with furniture around the article, as sites serve them."""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in (paragraphs or PARAGRAPHS))
    return f"""<!doctype html><html><head><meta charset="utf-8">
<title>{html.escape(title)} | {html.escape(site_name)}</title>
<meta property="og:site_name" content="{html.escape(site_name)}">
<meta name="author" content="{html.escape(author)}">
<meta property="article:published_time" content="{date}T10:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>{html.escape(title)}</h1>
{body}
</article><footer>Copyright {html.escape(site_name)}. All rights reserved.</footer></body></html>"""


NO_ARTICLE_HTML = """<!doctype html><html><head><title>Search</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav><form><input name="q"></form>
</body></html>"""
