"""The ministry's other apps as catalog entries: loading the national list, finding them with
the same search as our services (services.catalog's scoring), and the link-out."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.db.models import Q, QuerySet
from django.http import HttpResponse

from satupintu.bridge.models import PREFILL_FIELDS, ExternalApp
from satupintu.core.errors import NotFound
from satupintu.organization.models import Office, Unit
from satupintu.services import catalog
from satupintu.services.models import Audience, Service

DATA = Path(__file__).parent / "data" / "external_apps.json"


def load_external_apps(*, models: dict[str, Any] | None = None) -> int:
    """Create or update the national entries from data/external_apps.json (idempotent).
    ``models`` lets a data migration pass its historical models."""
    app_model = (models or {}).get("ExternalApp", ExternalApp)
    unit_model = (models or {}).get("Unit", Unit)
    units = {u.code: u for u in unit_model.objects.all()}
    rows = json.loads(DATA.read_text(encoding="utf-8"))["apps"]
    known = {f.name for f in app_model._meta.get_fields()}  # a migration's model may predate some
    for row in rows:
        fields = {k: row.get(k, default) for k, default in (
            ("short_name", ""), ("name", ""), ("name_en", ""), ("operator", ""), ("operator_en", ""), ("who_for", ""),
            ("who_for_en", ""), ("description", ""), ("description_en", ""), ("requirements", []),
            ("requirements_en", []), ("keywords", []), ("link_url", ""), ("prefill", {}),
            ("audience", Audience.PUBLIC)) if k in known}
        fields["unit"] = units.get(row.get("unit") or "")
        app_model.objects.update_or_create(code=row["code"], defaults={**fields, "office": None})
    return len(rows)


def external_apps(*, public_only: bool = True, office: Office | None = None) -> QuerySet[ExternalApp]:
    """Active entries: the national ones and, with an office, that office's own (without an
    office, every office's own too, marked with its office on the page)."""
    qs = ExternalApp.objects.select_related("unit", "office").filter(is_active=True)
    if public_only:
        qs = qs.filter(audience=Audience.PUBLIC)
    if office is not None:
        qs = qs.filter(Q(office__isnull=True) | Q(office=office))
    return qs


def external_app_get(code: str, *, public_only: bool = True) -> ExternalApp:
    app = external_apps(public_only=public_only).filter(code=(code or "").strip().lower()).first()
    if app is None:
        raise NotFound("unknown_external_app", "Aplikasi '%(code)s' tidak dikenal.", field="app",
                       params={"code": code})
    return app


def _app_words(app: ExternalApp) -> tuple[frozenset[str], frozenset[str]]:
    return catalog.entry_words(app.name, app.name_en, app.short_name, app.unit.name if app.unit else "",
                               " ".join(app.keywords), summary=f"{app.description} {app.who_for}")


def app_search_scored(*, q: str = "", unit: str = "", office: Office | None = None,
                      public_only: bool = True) -> list[tuple[float, ExternalApp]]:
    pool = list(external_apps(public_only=public_only, office=office))
    if unit:
        pool = [a for a in pool if a.unit is not None and a.unit.code == unit]
    tokens = catalog.query_tokens(q)
    if not tokens:
        return [(0.0, a) for a in sorted(pool, key=lambda a: a.local_name.casefold())]
    scored = [(catalog.score_words(tokens, *_app_words(a)), a) for a in pool]
    return [(s, a) for s, a in sorted(scored, key=lambda p: (-p[0], p[1].local_name.casefold())) if s >= catalog.MATCH_THRESHOLD]


CatalogEntry = Service | ExternalApp


def catalog_search(*, q: str = "", unit: str = "", office: Office | None = None,
                   services: QuerySet[Service] | None = None, public_only: bool = True,
                   include_apps: bool = True) -> list[CatalogEntry]:
    """Our services and the other apps in one list: best match first when searching; without a
    query our services (by name) then the other apps (by name)."""
    ours = catalog.service_search_scored(q=q, unit=unit, office=office, services=services, public_only=public_only)
    theirs = app_search_scored(q=q, unit=unit, office=office, public_only=public_only) if include_apps else []
    if not catalog.query_tokens(q):
        return [s for _, s in ours] + [a for _, a in theirs]
    merged: list[tuple[float, CatalogEntry]] = [*ours, *theirs]
    merged.sort(key=lambda p: (-p[0], p[1].local_name.casefold()))
    return [entry for _, entry in merged]


@dataclass(frozen=True)
class LinkOut:
    """Where "Buka <app>" goes. What the citizen already told us travels in ``fields``, in the body
    of a form POST to ``url``, never in the address (ASVS 8.3.1): an address lands in the app's
    access logs, in the browser's history and in the Referer of whatever the app's page loads.
    Templates render it with ``bridge/_link_out.html``: a plain link when nothing is carried."""

    url: str
    fields: tuple[tuple[str, str], ...] = ()
    carries: tuple[str, ...] = ()  # our names of what is carried (PREFILL_FIELDS), to tell the citizen

    @property
    def origin(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"


def link_out(app: ExternalApp, values: dict[str, str] | None = None) -> LinkOut:
    """The app's address, and what the citizen already told us that the app is marked to accept
    (``prefill``: our field -> their parameter), as fields of a form POST."""
    carried = [(field, param, str(values[field])) for field, param in (app.prefill or {}).items()
               if field in PREFILL_FIELDS and values and values.get(field)]
    return LinkOut(app.link_url, tuple((param, value) for _, param, value in carried),
                   tuple(field for field, _, _ in carried))


def allow_posts(response: HttpResponse, links: Iterable[LinkOut | None]) -> HttpResponse:
    """Let the page's forms post to the apps its link-outs carry values to: the policy's
    form-action is 'self' (and the sign-in issuer) everywhere else. Through django-csp's own
    per-response update (what its ``csp_update`` decorator sets), so the rest of the policy stays."""
    origins = sorted({link.origin for link in links if link is not None and link.fields})
    if origins:
        response._csp_update = {"form-action": origins}  # type: ignore[attr-defined]
    return response
