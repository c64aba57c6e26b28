"""API keys: made once (the key is shown then, and kept only as its SHA-256), checked on every
API call with its scopes and its own per-minute limit, revoked when no longer trusted."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from satupintu.core import ratelimit
from satupintu.core.errors import DomainError, Forbidden, ValidationErrors
from satupintu.integrations import access
from satupintu.integrations.models import SCOPE_PERSONAL_DATA, SCOPES, ApiKey
from satupintu.organization.models import Office

KEY_PREFIX = "sp_live_"
SHOWN_PREFIX_LENGTH = 12
MAX_RATE_PER_MINUTE = 6000
NOT_AUTHENTICATED_MESSAGE = "Kunci API tidak ada atau tidak valid."
REVOKED_MESSAGE = "Kunci API ini sudah dicabut."
EXPIRED_MESSAGE = "Kunci API ini sudah kedaluwarsa. Minta kunci baru ke kantor yang menerbitkannya."
# How long a key lives: a key given to a partner is not trusted forever (a partner's staff and
# systems change; a leaked key stops on its own). A year at most; the office picks less.
VALIDITY_DAYS = (30, 90, 180, 365)
DEFAULT_VALIDITY_DAYS = 365
# The integrations page says a key is ending this many days before it does.
ENDING_SOON_DAYS = 30


@dataclass(frozen=True)
class IssuedKey:
    key: ApiKey
    secret: str  # the whole key: shown once, never stored


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def clean_scopes(scopes: list[str]) -> list[str]:
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        raise DomainError("invalid_scope", "Cakupan tidak dikenal: %(scopes)s.", field="scopes",
                          params={"scopes": ", ".join(unknown)})
    return [s for s in SCOPES if s in scopes]


def api_key_issue(*, office: Office, user, name: str, scopes: list[str],  # type: ignore[no-untyped-def]
                  rate_limit_per_minute: int | None = 60, valid_days: int = DEFAULT_VALIDITY_DAYS) -> IssuedKey:
    """Make a key for a partner of ``office``, ending after ``valid_days`` (one of VALIDITY_DAYS);
    the returned secret is the only copy."""
    if not access.may_manage(user, office):
        raise Forbidden("forbidden", "Kunci API diterbitkan administrator atau kepala Kemenag Pusat dan Kanwil.")
    errors: list[DomainError] = []
    name = (name or "").strip()
    if not name:
        errors.append(DomainError("missing_field", "Beri nama kunci ini (mis. nama mitra).", field="name"))
    elif len(name) > 100:
        errors.append(DomainError("name_too_long", "Nama maksimal 100 karakter.", field="name"))
    try:
        scopes = clean_scopes(scopes)
    except DomainError as exc:
        errors.append(exc)
    rate = 60 if rate_limit_per_minute is None else rate_limit_per_minute
    if not 1 <= rate <= MAX_RATE_PER_MINUTE:
        errors.append(DomainError("invalid_rate_limit", "Batas permintaan per menit antara 1 dan %(max)d.",
                                  field="rate_limit_per_minute", params={"max": MAX_RATE_PER_MINUTE}))
    if valid_days not in VALIDITY_DAYS:
        errors.append(DomainError("invalid_validity", "Masa berlaku kunci: %(days)s hari.", field="valid_days",
                                  params={"days": ", ".join(str(d) for d in VALIDITY_DAYS)}))
    if SCOPE_PERSONAL_DATA in scopes and not access.may_grant_personal_data(user, office):
        errors.append(Forbidden("personal_data_not_allowed", "Cakupan data pribadi hanya dapat diberikan kepala "
                                "kantor.", field="scopes"))
    if errors:
        raise ValidationErrors(errors)
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        name=name, prefix=secret[:SHOWN_PREFIX_LENGTH], key_hash=hash_key(secret), scopes=scopes,
        rate_limit_per_minute=rate, office=office, created_by=user if user.is_authenticated else None,
        expires_at=timezone.now() + timedelta(days=valid_days),
    )
    return IssuedKey(key, secret)


def api_key_revoke(key: ApiKey, *, user) -> ApiKey:  # type: ignore[no-untyped-def]
    if key.office is None or not access.may_manage(user, key.office):
        raise Forbidden("forbidden", "Kunci API diterbitkan administrator atau kepala Kemenag Pusat dan Kanwil.")
    with transaction.atomic():
        ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        # Its endpoints stop with it: a revoked partner receives nothing more.
        key.webhooks.filter(active=True).update(active=False, disabled_at=timezone.now(),
                                                disabled_reason="API key revoked")
    key.refresh_from_db()
    return key


def keys_of(office: Office) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(office=office)


def rate_limit(key: ApiKey) -> ratelimit.Limit:
    return ratelimit.Limit("api-key", key.rate_limit_per_minute, ratelimit.MINUTE,
                           "Terlalu banyak permintaan dengan kunci API ini. Coba lagi dalam semenit.")


def api_key_authenticate(raw: str, *, scope: str) -> ApiKey:
    """The key behind ``raw`` if it is live, has ``scope`` and is within its limit; else the
    DomainError the API answers with (401, 403, 429)."""
    raw = (raw or "").strip()
    if not raw.startswith(KEY_PREFIX) or len(raw) > 200:
        raise DomainError("invalid_api_key", NOT_AUTHENTICATED_MESSAGE, status=401)
    key = ApiKey.objects.filter(key_hash=hash_key(raw)).first()
    if key is None:
        raise DomainError("invalid_api_key", NOT_AUTHENTICATED_MESSAGE, status=401)
    if key.revoked_at is not None:
        raise DomainError("api_key_revoked", REVOKED_MESSAGE, status=401)
    if key.expired:
        raise DomainError("api_key_expired", EXPIRED_MESSAGE, status=401)
    if scope not in key.scopes:
        raise Forbidden("insufficient_scope", "Kunci API ini tidak memiliki cakupan '%(scope)s'.",
                        params={"scope": scope})
    ratelimit.charge((rate_limit(key), (key.pk,)), code="too_many_requests")
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)  # at most once a minute: no write per call
    return key


# The people who manage an office's keys hear this many days before one ends (once per key and end
# date: a key given a new end is announced again), so the partner gets a new key in time.
WARN_DAYS_BEFORE = 14


def warn_ending_keys(now: datetime | None = None) -> int:
    """E-mail the managers of each office whose live key ends within WARN_DAYS_BEFORE days (and
    whoever issued it); returns how many e-mails were queued. Run daily ("api-key-expiry")."""
    from django.conf import settings

    from satupintu.core import clock
    from satupintu.core.reading_language import mail_each

    now = now or timezone.now()
    ending = (ApiKey.objects.filter(revoked_at__isnull=True, expires_at__gt=now,
                                    expires_at__lte=now + timedelta(days=WARN_DAYS_BEFORE))
              .select_related("office", "created_by"))
    queued = 0
    for key in ending:
        office, expires_at = key.office, key.expires_at
        if office is None or expires_at is None:
            continue
        people = set(access.managers_of(office))
        if key.created_by is not None and key.created_by.is_active and key.created_by.email:
            people.add((key.created_by.pk, key.created_by.email))
        link = f"{settings.SITE_URL.rstrip('/')}/petugas/integrasi/?office={office.code}"
        ends = clock.shown(timezone.localtime(expires_at), "d-m-Y")

        def compose(key: ApiKey = key, office: Office = office, ends: str = ends) -> tuple[str, str]:
            return (gettext("Kunci API %(name)s berakhir %(date)s") % {"name": key.name, "date": ends},
                    gettext("Kunci API “%(name)s” (%(prefix)s…) milik %(office)s berakhir pada "
                            "%(date)s. Setelah itu mitra tidak dapat memakai API dan webhook-nya tidak menerima "
                            "apa pun. Terbitkan kunci baru untuk mitra sebelum tanggal itu, lalu cabut kunci ini.")
                    % {"name": key.name, "prefix": key.prefix, "office": office.name, "date": ends})

        # Once per key, end date and person: a key given a new end is announced again.
        queued += mail_each(sorted(people), compose, link, f"api-key-ending:{key.pk}:{expires_at.isoformat()}")
    return queued
