"""An office's channels: registering one (a website's feed becomes a Situation Room source the
room's fetcher reads, attributed to the office), removing one, and the rule that keeps an
office from counting another office's feed.

The feed's room source, and who owns it (an office's own site is never an outside medium; an
outside medium's feed is never an office's):

- No room source has the address: the channel creates one, attributed to the office
  (``Channel.created_source``). Stopping the channel switches that source off: nothing new is
  fetched, and the stories it fetched stay the office's.
- The room already watches the address as the office's (``Source.office`` is this office, set
  by the room's admin): the channel uses it. Stopping the channel leaves it as the room's admin
  set it.
- The room watches the address as an outside medium (no office) or as another office's: the
  registration is refused (409) and the officer is told to ask the room's admin. A Humas
  officer never changes a source the room set up, so registering a national medium's feed
  can neither take its stories nor switch it off.

Stopping a channel (``channel_stop``) never changes a month already counted: a channel with
posts or stories is retired (``Channel.retired_at``), its posts and stories counting in the
months they were published, and nothing new comes in (no import, no fetch). Only a channel
that never counted anything is deleted. Registering the same channel again puts it back in use.
(Deleting it took its posts and stories out of every past month: a published scorecard changed.)

A feed that is really another office's, two checks:

1. At registration, by address: a feed whose address (``url_key``: host without "www." and
   default port, path without a trailing slash or a trailing feed name such as "/feed",
   "/rss" or "/atom"; scheme, query string and fragment ignored) is already another office's
   channel, or a room source attributed to another office, is refused with that office's
   name. Two offices may share a host (a Kanwil portal hosting each Kankemenag's section);
   only the same feed is refused.
2. After fetching, by what the stories say (`feed_owner_verdict`): among the feed's latest
   ``RECENT`` stories that name a place at the office's level (a regency for a Kankemenag, a
   province for a Kanwil), when at least ``MIN_PLACED`` do, fewer than ``OWN_SHARE_MIN`` name the
   office's own region and one other region accounts for at least ``OTHER_SHARE_MIN`` of them, the
   feed is that region's office's. The channel is then marked (``foreign_office``) and its stories
   count for nobody until the address is fixed; the channel page says why.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from satupintu.core.errors import DomainError, ValidationErrors
from satupintu.core.links import is_web_link
from satupintu.humas.models import Channel, Platform
from satupintu.organization.models import Level, Office
from satupintu.situation.models import Item, Source, SourceKind

RECENT = 30
MIN_PLACED = 5
OWN_SHARE_MIN = 0.2
OTHER_SHARE_MIN = 0.6


# The last path segments a site's feed is published under ("/feed", "/feed/atom", "/rss.xml"):
# they name the format, not the site, so "/berita/feed" and "/berita/rss" are the same feed.
FEED_SUFFIXES = frozenset({"feed", "feeds", "rss", "rss2", "atom", "rdf", "feed.xml", "rss.xml", "atom.xml",
                           "index.xml", "feed.rss", "feed.atom"})
DEFAULT_PORTS = {"http": 80, "https": 443}


def url_key(url: str) -> str:
    """The address as every spelling of the same feed gives it (module docstring): a query
    string or a fragment cannot make a copy of another office's feed look like a new one."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().rstrip(".").removeprefix("www.")
    try:
        port = parts.port
    except ValueError:  # not a port number: no valid feed has it, keep it distinct
        port = None
    if port is not None and port != DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    segments = [s for s in parts.path.split("/") if s]
    while segments and segments[-1].lower() in FEED_SUFFIXES:
        segments.pop()
    return host + "".join(f"/{s}" for s in segments)


def _room_sources(key: str) -> list[Source]:
    """The room's feed sources with this address (compared by url_key), not yet a channel's."""
    return [s for s in Source.objects.filter(kind=SourceKind.FEED, humas_channel__isnull=True)
            .select_related("office").only("url", "office", "name")
            if s.url and url_key(s.url) == key]


def _feed_owner_elsewhere(office: Office, key: str) -> Office | None:
    taken = (Channel.objects.filter(url_key=key, platform=Platform.WEBSITE).exclude(office=office)
             .select_related("office").first())
    if taken is not None:
        return taken.office
    for source in Source.objects.filter(kind=SourceKind.FEED, office__isnull=False).exclude(office=office) \
            .select_related("office").only("url", "office"):
        if source.url and url_key(source.url) == key:
            return source.office
    return None


def channel_register(*, office: Office, platform: str, url: str = "", handle: str = "", user: Any = None,
                     check_address: bool = True) -> Channel:
    """A new channel of ``office``; every problem at once. ``check_address=False`` only for the
    demo, whose feeds are never fetched (the source stays inactive)."""
    url, handle = url.strip(), handle.strip()
    errors: list[DomainError] = []
    if platform not in Platform.values:
        errors.append(DomainError("humas_bad_platform", "Pilih platform kanal.", field="platform"))
    if url and not is_web_link(url, 500):
        errors.append(DomainError("invalid_url", "Alamat kanal harus URL http(s) yang sah.", field="url"))
    if platform == Platform.WEBSITE and not url:
        errors.append(DomainError("missing_field", "Isi alamat umpan berita (RSS/Atom) situs web kantor.", field="url"))
    elif platform in Platform.values and platform != Platform.WEBSITE and not (url or handle):
        errors.append(DomainError("missing_field", "Isi nama akun, nomor atau alamat kanal.", field="handle"))
    if errors:
        raise ValidationErrors(errors)
    key = url_key(url) if url else ""
    if platform == Platform.WEBSITE:
        other = _feed_owner_elsewhere(office, key)
        if other is not None:
            raise DomainError("humas_feed_other_office",
                              "Umpan %(url)s sudah terdaftar sebagai kanal %(office)s: berita di dalamnya dihitung "
                              "untuk kantor itu. Daftarkan umpan berita kantor Anda sendiri.",
                              field="url", params={"url": url, "office": other.name}, status=409)
        if any(s.office_id is None for s in _room_sources(key)):
            raise DomainError("humas_feed_outside_medium",
                              "Alamat %(url)s sudah dipantau Situation Room sebagai media luar, bukan sebagai "
                              "kanal kantor. Bila ini memang umpan berita kantor Anda, minta administrator "
                              "Situation Room mengaitkannya ke kantor Anda.", field="url", params={"url": url},
                              status=409)
        if check_address:
            from satupintu.situation.sources import check_source_url

            check_source_url(SourceKind.FEED, url)
    same = Channel.objects.filter(office=office, platform=platform)
    duplicate = (same.filter(url_key=key) if key else same.filter(handle__iexact=handle)).first()
    if duplicate is not None and duplicate.retired_at is not None:
        return _back_in_use(duplicate, fetch=check_address)
    if duplicate is not None:
        raise DomainError("humas_channel_exists", "Kanal ini sudah terdaftar untuk kantor Anda.", field="url"
                          if key else "handle", status=409)
    with transaction.atomic():
        channel = Channel.objects.create(office=office, platform=platform, url=url, handle=handle[:120],
                                         url_key=key, created_by=user if getattr(user, "pk", None) else None)
        if platform == Platform.WEBSITE:
            own = next((s for s in _room_sources(key) if s.office_id == office.pk), None)
            if own is None:  # nobody watches it yet: the channel's own source
                own = Source.objects.create(kind=SourceKind.FEED, name=f"Humas {office.short_name}"[:200], url=url,
                                            office=office, active=check_address)
                channel.created_source = True
            channel.source = own
            channel.save(update_fields=["source", "created_source"])
    return channel


def has_counted(channel: Channel) -> bool:
    """Whether anything of the channel counts in some month: an imported post, or a story its own
    source fetched (a source the room's admin set up counts for the office without the channel)."""
    if channel.posts.exists():
        return True
    return bool(channel.source_id and channel.created_source
                and Item.objects.filter(source_id=channel.source_id).exists())


def channel_stop(channel: Channel, *, user: Any = None) -> bool:
    """Take the channel out of use (module docstring); True when it was retired, False when it
    had never counted anything and was deleted."""
    with transaction.atomic():
        if not has_counted(channel):
            if channel.source_id and channel.created_source:
                Source.objects.filter(pk=channel.source_id, office=channel.office_id).delete()
            channel.delete()
            return False
        if channel.retired_at is None:
            channel.retired_at = timezone.now()
            channel.retired_by = user if getattr(user, "pk", None) else None
            channel.save(update_fields=["retired_at", "retired_by"])
        if channel.source_id and channel.created_source:  # its own feed: fetch no more, keep the office's stories
            Source.objects.filter(pk=channel.source_id, office=channel.office_id).update(active=False)
        return True


def _back_in_use(channel: Channel, *, fetch: bool) -> Channel:
    """A retired channel registered again: in use from now on, its own feed fetched again (not the
    demo's, ``fetch=False``)."""
    with transaction.atomic():
        channel.retired_at, channel.retired_by = None, None
        channel.save(update_fields=["retired_at", "retired_by"])
        if channel.source_id and channel.created_source and fetch:
            Source.objects.filter(pk=channel.source_id, office=channel.office_id).update(active=True)
    return channel


# --- whose feed is it --------------------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    owner: Office
    placed: int
    own: int
    other: int


def _area(office: Office) -> tuple[str, str] | None:
    """(Item column, the office's own value) at the office's level; None for Pusat (national)."""
    if office.level == Level.KANKEMENAG:
        return "regency_code", office.code
    if office.level == Level.KANWIL:
        return "province_code", office.province_code or office.code
    return None


def feed_owner_verdict(channel: Channel) -> Verdict | None:
    """Another office when the feed's stories say so (module docstring, rule 2), else None."""
    area = _area(channel.office)
    if area is None or channel.source_id is None:
        return None
    column, own = area
    recent = list(Item.objects.filter(source_id=channel.source_id).exclude(**{column: ""})
                  .order_by("-published_at", "-id").values_list(column, flat=True)[:RECENT])
    if len(recent) < MIN_PLACED:
        return None
    counts = Counter(recent)
    own_n = counts.pop(own, 0)
    if not counts or own_n / len(recent) >= OWN_SHARE_MIN:
        return None
    region, other_n = counts.most_common(1)[0]
    if other_n / len(recent) < OTHER_SHARE_MIN:
        return None
    owner = Office.objects.filter(code=region, level=channel.office.level).first()
    if owner is None:
        return None
    return Verdict(owner=owner, placed=len(recent), own=own_n, other=other_n)


def channel_check_owner(channel: Channel) -> Channel:
    """Apply the verdict: mark (or clear) the channel as another office's feed, with the counts
    behind it (foreign_message words them in the reader's language)."""
    verdict = feed_owner_verdict(channel)
    marked = (verdict.owner.pk, verdict.placed, verdict.other, verdict.own) if verdict else (None, 0, 0, 0)
    if (channel.foreign_office_id, channel.foreign_placed, channel.foreign_other, channel.foreign_own) != marked:
        channel.foreign_office = verdict.owner if verdict else None
        channel.foreign_placed, channel.foreign_other, channel.foreign_own = marked[1:]
        channel.save(update_fields=["foreign_office", "foreign_placed", "foreign_other", "foreign_own"])
    return channel


def foreign_message(channel: Channel) -> str:
    """What the channel page says about a feed that is another office's, in the reader's language."""
    from django.utils.translation import gettext as _

    owner = channel.foreign_office
    if owner is None:
        return ""
    return _("Umpan ini tampaknya milik %(office)s (%(other)d dari %(placed)d berita terakhir menyebut wilayah "
             "%(region)s, %(own)d menyebut wilayah kantor ini): beritanya tidak dihitung untuk kantor Anda. "
             "Periksa alamat umpan.") % {"office": owner.name, "region": owner.region_name,
                                          "other": channel.foreign_other, "placed": channel.foreign_placed,
                                          "own": channel.foreign_own}
