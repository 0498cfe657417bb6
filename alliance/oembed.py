"""oEmbed 1.0 (https://oembed.com): which view a pasted link names, and the size of its embed.

Pure: the route (components/oembed.py) hands in the request's parameters, the host names the
server answers for and PUBLIC_URL; this module says 400 (a malformed size), 404 (a link to
another host, or to something that is not the map), 501 (a format other than JSON), or which
view query and size to answer with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .sharing import OEMBED_PATH  # noqa: F401 -- the route's path, defined with the discovery link

DEFAULT_WIDTH, DEFAULT_HEIGHT = 960, 600  # the iframe when the consumer sets no bounds
MAX_DIMENSION = 10_000  # a larger maxwidth/maxheight is no bound at all
DIMENSION = re.compile(r"^[0-9]{1,7}$")
CACHE_AGE = 3600  # seconds a consumer may keep an answer (the dataset changes rarely)


class OEmbedError(ValueError):
    """status (400, 404 or 501), a message that never repeats the request, the parameter at fault."""

    def __init__(self, status: int, message: str, param: str | None = None):
        super().__init__(message)
        self.status = status
        self.param = param


def check_format(value: str | None) -> None:
    """JSON only: the spec's answer to any other format is 501 Not Implemented."""
    if value not in (None, "", "json"):
        raise OEmbedError(501, "Only format=json is implemented.", "format")


def parse_bound(value: str | None, name: str) -> int | None:
    """maxwidth / maxheight: absent or a positive whole number of pixels; 400 otherwise."""
    if value is None or value == "":
        return None
    if not DIMENSION.match(value) or int(value) < 1:
        raise OEmbedError(400, f"{name} must be a positive whole number of pixels.", name)
    return min(int(value), MAX_DIMENSION)


def embed_size(maxwidth: int | None, maxheight: int | None) -> tuple[int, int]:
    """The iframe's width and height: the defaults, each cut to its bound."""
    width = DEFAULT_WIDTH if maxwidth is None else min(DEFAULT_WIDTH, maxwidth)
    height = DEFAULT_HEIGHT if maxheight is None else min(DEFAULT_HEIGHT, maxheight)
    return width, height


def view_query(url: str | None, host_allowed, public_url: str = "") -> str:
    """The query of the map view `url` links to ('' for the default view).

    `host_allowed(netloc)` says whether the link's host is one this server answers for. 404
    when the url is missing, not http(s), names another host, or a path other than the map
    page (PUBLIC_URL's path, else '/').
    """
    if not url:
        raise OEmbedError(400, "Give the link to a view of the map as url.", "url")
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 -- raises ValueError on a malformed port
    except ValueError:
        raise OEmbedError(404, "The url is not a link to a view of this map.", "url") from None
    if parts.scheme not in ("http", "https") or not parts.netloc or not host_allowed(parts.netloc):
        raise OEmbedError(404, "The url is not a link to a view of this map.", "url")
    root = urlsplit(public_url).path.rstrip("/") if public_url else ""
    if parts.path not in {"", "/", root, root + "/"}:  # the app's own root, or PUBLIC_URL's path
        raise OEmbedError(404, "The url is not a link to a view of this map.", "url")
    return parts.query


def thumbnail_size(full: tuple[int, int], maxwidth: int | None, maxheight: int | None) -> tuple[int, int]:
    """The preview picture's size within the bounds, its shape kept (the spec: thumbnails must
    respect maxwidth and maxheight too); never larger than the picture itself."""
    width, height = full
    fit = min(width, maxwidth or width, (maxheight or height) * width // height)
    return max(1, fit), max(1, round(fit * height / width))


@dataclass(frozen=True)
class Embed:
    """What an oEmbed answer says; `html` is the escaped <iframe> the route built. The
    thumbnail is all three fields or none (the spec's rule)."""

    title: str
    html: str
    width: int
    height: int
    provider_name: str
    provider_url: str
    thumbnail: tuple[str, int, int] | None = None  # url, width, height

    def answer(self) -> dict:
        """The oEmbed 1.0 `rich` response."""
        answer = {
            "version": "1.0",
            "type": "rich",
            "title": self.title,
            "provider_name": self.provider_name,
            "provider_url": self.provider_url,
            "cache_age": CACHE_AGE,
        }
        if self.thumbnail is not None:
            url, width, height = self.thumbnail
            answer.update(thumbnail_url=url, thumbnail_width=width, thumbnail_height=height)
        answer.update(html=self.html, width=self.width, height=self.height)
        return answer
