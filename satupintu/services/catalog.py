"""Reading the catalog: what an office offers, on what terms, and typo-tolerant search."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from rapidfuzz import fuzz

from satupintu.core.bilingual import local_text
from satupintu.core.errors import DomainError, NotFound
from satupintu.organization.models import Office
from satupintu.services.models import Audience, FormField, OfficeService, Requirement, Service


@dataclass(frozen=True)
class EffectiveRequirement:
    code: str
    name: str
    mandatory: bool
    name_en: str = ""

    @property
    def local_name(self) -> str:
        return local_text(self.name, self.name_en)


@dataclass(frozen=True)
class Offer:
    """A service as one office offers it: its own time and requirements applied."""

    service: Service
    office: Office
    working_days: int
    requirements: list[EffectiveRequirement]
    fields: list[FormField]


def catalog_services(*, public_only: bool = True) -> QuerySet[Service]:
    """The active services; ``public_only`` leaves out those for the ministry's own employees
    (leave, promotion, pension), which the public catalog, search, API and office pages never list."""
    qs = Service.objects.select_related("unit").filter(is_active=True)
    return qs.filter(audience=Audience.PUBLIC) if public_only else qs


def service_get(slug: str, *, public_only: bool = False) -> Service:
    """One active service. Pages and API for the public pass ``public_only=True``: an
    employees' service is then as unknown as a misspelt one."""
    service = (
        catalog_services(public_only=public_only)
        .prefetch_related("fields", Prefetch("requirements", queryset=Requirement.objects.filter(office__isnull=True)))
        .filter(slug=slug)
        .first()
    )
    if service is None:
        raise NotFound("unknown_service", "Layanan '%(slug)s' tidak ditemukan.", field="service",
                       params={"slug": slug})
    return service


def office_get(code: str) -> Office:
    office = Office.objects.select_related("parent").filter(code=(code or "").strip()).first()
    if office is None:
        # The code as typed, cut: a message never carries 100 kB of someone's input back.
        shown = (code or "").strip()
        shown = shown if len(shown) <= 20 else shown[:20] + "…"
        raise NotFound("unknown_office", "Kantor dengan kode '%(code)s' tidak ditemukan.", field="office",
                       params={"code": shown})
    return office


def _is_offered(service: Service, office: Office, override: OfficeService | None) -> bool:
    if not service.is_active or office.level not in (service.levels or []):
        return False
    return override is None or override.enabled


def offers(service: Service, office: Office) -> bool:
    return _is_offered(service, office, OfficeService.objects.filter(office=office, service=service).first())


def offer_for(service: Service, office: Office) -> Offer:
    """The service's terms at this office, or a clear error if the office does not offer it."""
    if office.merged_into_id is not None:
        # Kept for history, its work done elsewhere now: an application made here would wait with
        # nobody. The citizen is told where to go (the terms may differ there).
        raise DomainError("office_merged", "%(office)s sudah digabung ke %(into)s: ajukan permohonan di sana.",
                          field="office", params={"office": office.name, "into": office.successor().name})
    override = OfficeService.objects.filter(office=office, service=service).first()
    if not _is_offered(service, office, override):
        note = f" {override.redirect_note}" if override and override.redirect_note else ""
        raise DomainError(
            "service_not_offered",
            "Layanan '%(service)s' tidak tersedia di %(office)s.%(note)s",
            field="service", params={"service": service.name, "office": office.name, "note": note},
        )
    return _terms(service, office, override)


def requirement_names(service: Service, office: Office) -> dict[str, str]:
    """Each requirement's name by its code, in the page's language (its code is for the software)."""
    return {r.code: r.local_name for r in requirements_for(service, office)}


def requirements_for(service: Service, office: Office) -> list[EffectiveRequirement]:
    """The documents an application already made asks for at its office, offered there still or
    not: an office that switched the service off since must still take the file it asked for."""
    override = OfficeService.objects.filter(office=office, service=service).first()
    return _terms(service, office, override).requirements


def _terms(service: Service, office: Office, override: OfficeService | None) -> Offer:
    overrides = override.requirement_overrides if override else {}
    requirements: list[EffectiveRequirement] = []
    for req in Requirement.objects.filter(service=service).filter(office__isnull=True) | Requirement.objects.filter(
        service=service, office=office
    ):
        rule = overrides.get(req.code)
        if rule == "hidden":
            continue
        mandatory = {"optional": False, "mandatory": True}.get(rule or "", req.mandatory)
        requirements.append(EffectiveRequirement(req.code, req.name, mandatory, req.name_en))
    return Offer(
        service=service,
        office=office,
        working_days=(override.working_days if override and override.working_days else service.working_days),
        requirements=requirements,
        fields=list(service.fields.all()),
    )


def services_offered_at(office: Office, *, public_only: bool = True) -> list[Service]:
    overrides = {o.service_id: o for o in OfficeService.objects.filter(office=office)}
    return [
        s
        for s in catalog_services(public_only=public_only)
        if _is_offered(s, office, overrides.get(s.pk))
    ]


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return re.sub(r"[^a-z0-9 ]+", " ", "".join(c for c in text if not unicodedata.combining(c)))


_STOPWORDS = {"dan", "atau", "di", "ke", "untuk", "yang", "the", "of", "for", "and", "layanan", "permohonan"}


def _tokens(text: str) -> list[str]:
    return [t for t in _fold(text).split() if t not in _STOPWORDS and len(t) > 1]


def catalog_version() -> int:
    """A number that changes whenever the catalog does (services/signals.py bumps it)."""
    version = cache.get("catalog:version")
    if version is None:
        cache.add("catalog:version", 1, None)
        version = cache.get("catalog:version", 1)
    return int(version)


def bump_catalog_version() -> None:
    try:
        cache.incr("catalog:version")
    except ValueError:  # not set yet
        cache.add("catalog:version", 2, None)


# Per process: the words of every service, folded once per catalog version, so a search
# only compares words instead of re-reading and re-folding the whole catalog.
_INDEX: dict[str, object] = {"version": None, "words": {}}


def _service_words(service: Service) -> tuple[frozenset[str], frozenset[str]]:
    return entry_words(service.name, service.name_en, service.unit.name, " ".join(service.keywords),
                       summary=service.summary)


def _words_for(service: Service) -> tuple[frozenset[str], frozenset[str]]:
    version = catalog_version()
    if _INDEX["version"] != version:
        _INDEX["version"], _INDEX["words"] = version, {}
    words: dict[int, tuple[frozenset[str], frozenset[str]]] = _INDEX["words"]  # type: ignore[assignment]
    if service.pk not in words:
        words[service.pk] = _service_words(service)
    return words[service.pk]


def query_tokens(q: str) -> list[str]:
    """The words of a search query as the catalog compares them (folded, no stopwords)."""
    return _tokens(q)


def entry_words(*naming: str, summary: str = "") -> tuple[frozenset[str], frozenset[str]]:
    """The words an entry is found by: those that name it, and those of its summary (worth less).
    Other catalog entries (bridge/: the ministry's other apps) are scored with these too."""
    return frozenset(_tokens(" ".join(naming))), frozenset(_tokens(summary))


# The least score that counts as a match.
MATCH_THRESHOLD = 72


def score_words(query_tokens: list[str], vocabulary: frozenset[str], summary_words: frozenset[str]) -> float:
    """0-100: how well every query word matches some word of an entry (typos allowed)."""
    if not query_tokens:
        return 0.0
    total = 0.0
    for token in query_tokens:
        best = max((fuzz.ratio(token, word) for word in vocabulary), default=0.0)
        # A word the service name starts with ("legal" -> "legalisir") counts as a match.
        if len(token) >= 3 and any(word.startswith(token) for word in vocabulary):
            best = 100.0
        # Words from the summary count, but less: they describe, they do not name.
        if best < 80:
            best = max(best, 0.85 * max((fuzz.ratio(token, w) for w in summary_words), default=0.0))
        total += best
    return total / len(query_tokens)


def search_score(query_tokens: list[str], service: Service) -> float:
    """0-100: how well every query word matches some word of the service (typos allowed)."""
    return score_words(query_tokens, *_words_for(service))


def service_search_scored(
    *, q: str = "", unit: str = "", office: Office | None = None, services: QuerySet[Service] | None = None,
    public_only: bool = True,
) -> list[tuple[float, Service]]:
    """(score, service) matching the filters, best first (score 0 and by name when no ``q``)."""
    pool = list(services if services is not None else catalog_services(public_only=public_only))
    if office is not None:
        offered = {s.pk for s in services_offered_at(office, public_only=public_only)}
        pool = [s for s in pool if s.pk in offered]
    if unit:
        pool = [s for s in pool if s.unit.code == unit]
    tokens = _tokens(q)
    if not tokens:
        # By the name the reader sees: in English "Legalisation ..." sorts under L, not under "Legalisir".
        return [(0.0, s) for s in sorted(pool, key=lambda s: s.local_name.casefold())]
    scored = [(search_score(tokens, s), s) for s in pool]
    return [(score, s) for score, s in sorted(scored, key=lambda p: (-p[0], p[1].local_name.casefold()))
            if score >= MATCH_THRESHOLD]


def service_search(
    *, q: str = "", unit: str = "", office: Office | None = None, services: QuerySet[Service] | None = None,
    public_only: bool = True,
) -> list[Service]:
    """Services matching the filters, best first; typos in ``q`` are forgiven."""
    return [s for _score, s in service_search_scored(q=q, unit=unit, office=office, services=services,
                                                      public_only=public_only)]
