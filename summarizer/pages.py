"""Web pages as articles: the main text, title and date of an HTML page, and fetching pages by URL.

Extraction is trafilatura's (maintained, benchmarked on news sites, drops navigation, "related"
blocks and comments, and reads publication dates from page metadata through htmldate). Fetching
is bounded: timeouts, a size cap, a content-type check and a limit on redirects, each fault one
ArticleError naming the URL.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import httpx

from .errors import ArticleError

HTML_SUFFIXES = (".html", ".htm")
MAX_PAGE_BYTES = 5_000_000  # news pages are well under 1 MB; this refuses downloads and dumps
MAX_REDIRECTS = 5
FETCH_TIMEOUT = httpx.Timeout(15.0, connect=5.0)
HTML_TYPES = ("text/html", "application/xhtml+xml")
USER_AGENT = "summarizer (news article reader)"


@dataclass(frozen=True)
class Page:
    text: str  # title line, then the main text; what the model reads and the cache keys on
    title: str | None
    published: dt.date | None  # from the page's metadata


def is_url(spec: str) -> bool:
    return spec.startswith(("http://", "https://"))


def url_id(url: str) -> str:
    """An article id from a URL: its last path segment without the extension ('a' for .../news/a.html)."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    name = unquote(segments[-1]) if segments else parts.hostname or "page"
    stem = re.sub(r"\.(s?html?|php|aspx?)$", "", name, flags=re.IGNORECASE)
    return re.sub(r"[^\w.-]+", "_", stem).strip("_.") or "page"


def _metadata_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def extract(html: str | bytes, source: str, url: str | None = None) -> Page:
    """The article in a page, or an ArticleError when the page holds no article text."""
    import trafilatura  # lxml and friends load only when a page is read

    # fast: no fallback extractors, which return the whole page body (menus, link lists) when the
    # main pass finds no article; a page with no article is reported, not summarised.
    doc = trafilatura.bare_extraction(
        html, url=url, fast=True, with_metadata=True, include_comments=False, include_tables=True,
        favor_precision=True,
        # the page's own metadata (meta tags, JSON-LD), not dates guessed from its text or links
        date_extraction_params={"extensive_search": False, "original_date": True})
    body = (doc.text or "").strip() if doc is not None else ""
    if not body:
        raise ArticleError(f"{source}: no article text found in the page (navigation or boilerplate only)")
    title = " ".join((doc.title or "").split()) or None
    first = body.split("\n", 1)[0].strip()
    # The headline leads the text, as in a saved .txt article, so both read and cache alike.
    text = body if title is None or first == title else f"{title}\n{body}"
    return Page(text=text, title=title, published=_metadata_date(doc.date))


def fetch(url: str, *, client: httpx.Client | None = None, max_bytes: int = MAX_PAGE_BYTES) -> bytes:
    """The body of an HTML page, or an ArticleError naming the URL and the fault."""
    own = client is None
    client = client or httpx.Client(follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=FETCH_TIMEOUT,
                                    headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml"})
    try:
        with client.stream("GET", url) as reply:
            if reply.status_code >= 400:
                raise ArticleError(f"{url}: HTTP {reply.status_code} {reply.reason_phrase}".rstrip())
            kind = reply.headers.get("content-type", "").split(";", 1)[0].strip().lower()
            if kind not in HTML_TYPES:
                raise ArticleError(f"{url}: not an HTML page (content-type {kind or 'missing'})")
            declared = reply.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise ArticleError(f"{url}: page too large ({int(declared):,} bytes; the limit is {max_bytes:,})")
            data = bytearray()
            for chunk in reply.iter_bytes():
                data += chunk
                if len(data) > max_bytes:  # a server that sends no length, or lies about it
                    raise ArticleError(f"{url}: page too large (over {max_bytes:,} bytes)")
            return bytes(data)
    except httpx.TooManyRedirects:
        raise ArticleError(f"{url}: more than {MAX_REDIRECTS} redirects (a redirect loop?)") from None
    except httpx.TimeoutException:
        raise ArticleError(f"{url}: no reply within {FETCH_TIMEOUT.read:.0f} s") from None
    except httpx.UnsupportedProtocol as exc:
        raise ArticleError(f"{url}: cannot fetch ({exc})") from None
    except httpx.HTTPError as exc:
        raise ArticleError(f"{url}: cannot fetch ({type(exc).__name__}: {exc})") from None
    finally:
        if own:
            client.close()
