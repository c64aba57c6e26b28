"""Webhook endpoints: registered (the URL passes the outbound guard when saved), listed,
removed; and the delivery log's redelivery. Emitting events is events.py; sending one is the
outbox's "webhook" channel (notifications/channels/webhook.py)."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from satupintu.core import netguard
from satupintu.core.errors import DomainError, Forbidden, NotFound, ValidationErrors
from satupintu.integrations import access
from satupintu.integrations.models import EVENT_TYPES, ApiKey, DeliveryStatus, WebhookDelivery, WebhookEndpoint
from satupintu.organization.models import Office

SECRET_PREFIX = "whsec_"
MAX_ENDPOINTS_PER_OWNER = 20
# Sending one delivery again by hand: plenty for a receiver being fixed, and far below the counter's
# ceiling (a small integer: 32767 on PostgreSQL, where one more is an error, not a refusal).
MAX_REDELIVERIES = 100
URL_REFUSED_MESSAGE = "Alamat webhook tidak dapat dipakai: harus http(s) ke alamat publik yang dapat dihubungi."


HTTPS_REQUIRED_MESSAGE = ("Alamat webhook harus https: data yang dikirim (dan pada cakupan data pribadi, NIK dan "
                          "nomor telepon) tidak boleh melintas tanpa enkripsi.")


def plain_http_allowed(url: str) -> bool:
    """https always; plain http only to a network the operator let through (an intranet receiver,
    a test's), never across the internet."""
    return netguard.https_or_configured_network(url)


def new_secret() -> str:
    """A Standard Webhooks secret: "whsec_" and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def parse_events(raw: str | list[str]) -> list[str]:
    items = raw.split(",") if isinstance(raw, str) else raw
    return [e.strip() for e in items if e and e.strip()]


def _clean(url: str, events: list[str], description: str) -> tuple[str, list[str], str]:
    errors: list[DomainError] = []
    url = (url or "").strip()
    if not url:
        errors.append(DomainError("missing_field", "Isi alamat (URL) webhook.", field="url"))
    elif len(url) > 500:
        errors.append(DomainError("url_too_long", "Alamat maksimal 500 karakter.", field="url"))
    else:
        try:
            with netguard.without_own_loopback():  # its answers are read back: never this server itself
                netguard.check_url(url)
        except netguard.OutboundRefused:
            errors.append(DomainError("webhook_url_refused", URL_REFUSED_MESSAGE, field="url"))
        else:
            if not plain_http_allowed(url):
                errors.append(DomainError("webhook_https_required", HTTPS_REQUIRED_MESSAGE, field="url"))
    unknown = [e for e in events if e not in EVENT_TYPES]
    if unknown:
        errors.append(DomainError("invalid_event", "Peristiwa tidak dikenal: %(events)s. Pilih dari: %(known)s.",
                                  field="events", params={"events": ", ".join(unknown)[:200],
                                                          "known": ", ".join(EVENT_TYPES)}))
    elif not events:
        errors.append(DomainError("missing_field", "Pilih paling sedikit satu peristiwa.", field="events"))
    description = (description or "").strip()
    if len(description) > 200:
        errors.append(DomainError("description_too_long", "Keterangan maksimal 200 karakter.", field="description"))
    if errors:
        raise ValidationErrors(errors)
    return url, [e for e in EVENT_TYPES if e in events], description


@dataclass(frozen=True)
class NewEndpoint:
    endpoint: WebhookEndpoint
    secret: str


def _create(url: str, events: list[str], description: str, **owner: object) -> NewEndpoint:
    url, events, description = _clean(url, events, description)
    secret = new_secret()
    endpoint = WebhookEndpoint.objects.create(url=url, events=events, description=description, secret=secret,
                                              **owner)
    return NewEndpoint(endpoint, secret)


def endpoint_add_for_key(key: ApiKey, *, url: str, events: list[str], description: str = "") -> NewEndpoint:
    """A partner registers its own endpoint; it receives the events of the key's office."""
    if key.webhooks.count() >= MAX_ENDPOINTS_PER_OWNER:
        raise DomainError("too_many_webhooks", "Paling banyak %(n)d webhook per kunci.", status=409,
                          params={"n": MAX_ENDPOINTS_PER_OWNER})
    return _create(url, events, description, owner_key=key, office=key.office)


def endpoint_add_by_staff(office: Office, *, user, url: str, events: list[str],  # type: ignore[no-untyped-def]
                          description: str = "", personal_data: bool = False) -> NewEndpoint:
    if not access.may_manage(user, office):
        raise Forbidden("forbidden", "Webhook diatur administrator atau kepala Kemenag Pusat dan Kanwil.")
    if personal_data and not access.may_grant_personal_data(user, office):
        raise Forbidden("personal_data_not_allowed", "Cakupan data pribadi hanya dapat diberikan kepala kantor.",
                        field="personal_data")
    return _create(url, events, description, office=office, created_by=user, personal_data=personal_data)


def endpoint_add_national(*, url: str, events: list[str], description: str = "",
                          personal_data: bool = False) -> NewEndpoint:
    """The command line (the server's operator): every office's events."""
    return _create(url, events, description, personal_data=personal_data)


def endpoints_of_key(key: ApiKey) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(owner_key=key)


def endpoints_of_office(office: Office) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(office=office).select_related("owner_key")


def endpoint_of_key(key: ApiKey, endpoint_id: int) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id, owner_key=key).first()
    if endpoint is None:  # another owner's endpoint is as unknown as a missing one
        raise NotFound("not_found", "Webhook tidak ditemukan.")
    return endpoint


def endpoint_of_staff(user, endpoint_id: int) -> WebhookEndpoint:  # type: ignore[no-untyped-def]
    endpoint = WebhookEndpoint.objects.select_related("office").filter(pk=endpoint_id).first()
    if endpoint is None or endpoint.office is None or not access.may_manage(user, endpoint.office):
        raise NotFound("not_found", "Webhook tidak ditemukan.")
    return endpoint


def endpoint_remove(endpoint: WebhookEndpoint) -> None:
    """Gone with its log; messages already in the outbox find no endpoint and give up."""
    endpoint.delete()


def endpoint_enable(endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Back on after an automatic disabling (the receiver is fixed): the failure count starts over."""
    if endpoint.owner_key is not None and endpoint.owner_key.revoked_at is not None:
        raise DomainError("api_key_revoked", "Kunci API webhook ini sudah dicabut.", status=409)
    if endpoint.owner_key is not None and endpoint.owner_key.expired:
        raise DomainError("api_key_expired", "Kunci API webhook ini sudah kedaluwarsa.", status=409)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(active=True, disabled_at=None, disabled_reason="",
                                                          failure_count=0, failing_since=None)
    endpoint.refresh_from_db()
    return endpoint


def deliveries_of(endpoint: WebhookEndpoint, limit: int = 50) -> list[WebhookDelivery]:
    return list(endpoint.deliveries.all()[:limit])


def redeliver(delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a logged event again (same webhook-id, same body, a fresh signature) through the outbox."""
    from satupintu.notifications.outbox import outbox_enqueue

    endpoint = delivery.endpoint
    if not endpoint.active:
        raise DomainError("webhook_disabled", "Webhook ini nonaktif; aktifkan dulu sebelum mengirim ulang.",
                          status=409)
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.redeliveries >= MAX_REDELIVERIES:
            raise DomainError("too_many_redeliveries", "Pengiriman ini sudah %(n)d kali dikirim ulang, batas untuk "
                              "satu pengiriman.", status=409, params={"n": MAX_REDELIVERIES})
        delivery.redeliveries += 1
        delivery.status = DeliveryStatus.PENDING
        delivery.save(update_fields=["redeliveries", "status"])
        outbox_enqueue(channel="webhook", recipient=str(delivery.pk), subject=delivery.event_type,
                       body=delivery.payload,
                       dedupe_key=f"webhook:{delivery.pk}:r{delivery.redeliveries}")
    return delivery


def delivery_of(endpoint: WebhookEndpoint, delivery_id: int) -> WebhookDelivery:
    delivery = endpoint.deliveries.filter(pk=delivery_id).first()
    if delivery is None:
        raise NotFound("not_found", "Pengiriman tidak ditemukan.")
    return delivery
