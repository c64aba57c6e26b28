"""A news page into one `RawItem`: the article's text, title, date and author, with trafilatura.

Trafilatura finds the main text and drops what templates mark as navigation, comments,
sidebars and footers. Two extra layers catch what regional office sites still leak:
- `PRUNE_XPATH` removes share widgets, view counters and sidebars named by common theme
  classes before extraction;
- `_is_boilerplate` drops short leftover lines that are never news: "Bagikan", a row of social
  network names, "Dibaca 35 kali", "Jam pelayanan Senin-Jumat 08.00-16.00", a lone phone number.
"""

from __future__ import annotations

import re
from datetime import datetime

import trafilatura

from satupintu.situation.ingest.raw import LOCAL_TZ, RawItem, stable_id


def _class_has(*parts: str) -> str:
    tests = " or ".join(f"contains(@class, '{p}')" for p in parts)
    return f"//body//*[{tests}]"


def _class_token(*tokens: str) -> str:
    # Whole class tokens only: "widget" must not hit Elementor's "elementor-widget-container",
    # which wraps the article text itself, nor "sidebar" a wrapper's "has-sidebar".
    tests = " or ".join(f"contains(concat(' ', normalize-space(@class), ' '), ' {t} ')" for t in tokens)
    return f"//body//*[{tests}]"


def _id_is(*ids: str) -> str:
    return "//body//*[" + " or ".join(f"@id='{i}'" for i in ids) + "]"


PRUNE_XPATH = [
    # Names only share widgets and view counters use, wherever they appear in the class.
    _class_has("share-button", "social-share", "sharedaddy", "sharethis", "addtoany", "a2a_", "post-views",
               "breadcrumb"),
    _class_token("sidebar", "widget", "widget-area", "share", "sharing", "social", "views", "view-count", "hits",
                 "menu", "navbar", "related-posts", "berita-terkait", "terpopuler", "jam-pelayanan"),
    _id_is("sidebar", "secondary", "share", "menu", "breadcrumb"),
    "//nav|//aside|//footer",
]

_SHARE_WORDS = {"bagikan", "share", "tweet", "facebook", "twitter", "x", "telegram", "whatsapp", "wa", "email",
                "e-mail", "print", "cetak", "linkedin", "pinterest", "line", "copy", "salin", "link", "tautan",
                "ini", "artikel", "berita", "this", "ke", "via", "on", "instagram", "youtube", "tiktok", "ikuti",
                "kami", "follow", "us"}
_WORD = re.compile(r"[\w-]+", re.UNICODE)
_VIEWS = re.compile(r"\b(dibaca|dilihat|views?|hits?)\s*:?\s*[\d.,]+(\s*(kali|x))?\b|\b[\d.,]+\s*(kali dibaca|views)\b",
                    re.IGNORECASE)
_HOURS = re.compile(r"\bjam\s+(pelayanan|layanan|kerja|kantor|operasional|buka)\b"
                    r"|\b(senin|selasa|rabu|kamis|jumat|jum'at|sabtu)\s*(-|–|s\.?\s*d\.?|sampai)\s*"
                    r"(selasa|rabu|kamis|jumat|jum'at|sabtu|minggu)\b"
                    r"|^\s*\d{1,2}[.:]\d{2}\s*(-|–|s\.?\s*d\.?|sampai)\s*\d{1,2}[.:]\d{2}(\s*wi[bt]a?)?\s*$",
                    re.IGNORECASE)
_PHONE_ONLY = re.compile(r"^[+\d\s().-]{8,}$")
_FOOTER = re.compile(r"^(©|\(c\)|copyright|hak cipta)|\b(wa|whatsapp)\s+layanan\b|\blayanan\s+(wa|whatsapp)\b",
                     re.IGNORECASE)
MIN_WORDS = 8  # fewer is a menu item or a caption that survived, not something to analyse
_MAX_BOILERPLATE_WORDS = 12  # longer lines are sentences, even when they mention "Senin" or "Facebook"


def _is_boilerplate(line: str) -> bool:
    words = [w.lower() for w in _WORD.findall(line)]
    if len(words) > _MAX_BOILERPLATE_WORDS or line.startswith("|"):
        return False  # a sentence, or a row of a table trafilatura kept as content ("| a | b |")
    if words and all(w in _SHARE_WORDS for w in words):
        return True
    if "|" in line and all(len(part.split()) <= 3 for part in line.split("|")):
        return True  # "Beranda | Profil | Berita": a menu or breadcrumb
    return any(p.search(line) for p in (_VIEWS, _HOURS, _PHONE_ONLY, _FOOTER))


def clean_text(text: str, title: str = "") -> str:
    """The article's lines without leftovers of the template, and without the title repeated."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line and not _is_boilerplate(line)]
    if lines and title and lines[0].casefold() == " ".join(title.split()).casefold():
        lines = lines[1:]
    return "\n".join(lines)


def _extract(html: str | bytes, url: str, prune: bool):  # type: ignore[no-untyped-def]
    document = trafilatura.bare_extraction(
        html, url=url, include_comments=False, include_tables=True, include_images=False, include_links=False,
        with_metadata=True, favor_precision=True, prune_xpath=PRUNE_XPATH if prune else None,
        # A full timestamp when the page has one (article:published_time), else the date alone.
        date_extraction_params={"original_date": True, "extensive_search": True,
                                "outputformat": "%Y-%m-%dT%H:%M:%S%z",
                                "max_date": datetime.now(LOCAL_TZ).strftime("%Y-%m-%d")},
    )
    # bare_extraction gives a Document unless asked for a dict (as_dict=True), which we never do.
    if document is None or isinstance(document, dict) or not (document.text or "").strip():
        return None
    return document


def _published(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=LOCAL_TZ)


def extract_page(html: str | bytes, url: str) -> RawItem | None:
    """The page's article, or None when it has no readable main text.

    The external id is the URL plus a hash of the text: an edited article (or a notice page
    whose content changed) comes in again as a new item instead of being lost to the unique
    (source, external_id) constraint; the near-duplicate finder links it to the older one."""
    # Our pruning is a guess from class names; when it removed everything, trust trafilatura alone.
    document = _extract(html, url, prune=True) or _extract(html, url, prune=False)
    if document is None:
        return None
    title = " ".join((document.title or "").split())
    text = clean_text(document.text, title)
    if len(text.split()) < MIN_WORDS:
        return None
    return RawItem(external_id=f"{url}#{stable_id(text)[:16]}", text=text, title=title, url=url,
                   author=document.author or "", published_at=_published(document.date))
