"""How a project's source reads in a table: the site's name and the year, so staff can check it."""

from __future__ import annotations

from urllib.parse import urlsplit


def site(source: str) -> str:
    """'english.seoul.go.kr' for a URL; the text itself otherwise ('request', an inline note)."""
    host = urlsplit(source).hostname if source.startswith(("http://", "https://")) else None
    return host.removeprefix("www.") if host else source


def cite(source: str, year: str) -> str:
    """'english.seoul.go.kr, 2018': the source's site and the year or period it refers to."""
    return ", ".join(part for part in (site(source), year) if part)
