"""Webhooks in the API, for partners holding an API key with the "webhooks" scope:
``Authorization: Bearer sp_live_...`` or ``X-API-Key: sp_live_...``. Errors are
``{"code", "message"}``: 401 without a valid key, 403 without the scope, 429 past the key's
own per-minute limit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from ninja.security import APIKeyHeader, HttpBearer

from satupintu.api.schemas import ERRORS
from satupintu.core.errors import DomainError
from satupintu.integrations import keys, webhooks
from satupintu.integrations.models import SCOPE_WEBHOOKS, ApiKey, WebhookDelivery, WebhookEndpoint


class _BearerKey(HttpBearer):
    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey:
        return keys.api_key_authenticate(token, scope=self.scope)


class _HeaderKey(APIKeyHeader):
    param_name = "X-API-Key"

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiKey | None:
        if not key:
            # Last in the chain: neither header carried a key. Said as a key, not "sign in first"
            # (the session API's answer), which a partner's developer cannot act on.
            raise DomainError("invalid_api_key", keys.NOT_AUTHENTICATED_MESSAGE, status=401)
        return keys.api_key_authenticate(key, scope=self.scope)


def api_key_auth(scope: str) -> list[Any]:
    return [_BearerKey(scope), _HeaderKey(scope)]


router = Router(tags=["integrasi"], auth=api_key_auth(SCOPE_WEBHOOKS))


class WebhookIn(Schema):
    url: str
    events: list[str]
    description: str = ""


class WebhookOut(Schema):
    id: int
    url: str
    description: str
    events: list[str]
    active: bool
    failure_count: int
    disabled_at: datetime | None
    disabled_reason: str
    created_at: datetime


class WebhookCreatedOut(WebhookOut):
    secret: str


class DeliveryOut(Schema):
    id: int
    event_id: str
    event_type: str
    status: str
    status_code: int | None
    attempts: int
    response_snippet: str
    created_at: datetime
    attempted_at: datetime | None
    delivered_at: datetime | None


def _out(e: WebhookEndpoint) -> dict[str, Any]:
    return {"id": e.pk, "url": e.url, "description": e.description, "events": e.events, "active": e.active,
            "failure_count": e.failure_count, "disabled_at": e.disabled_at, "disabled_reason": e.disabled_reason,
            "created_at": e.created_at}


def _delivery_out(d: WebhookDelivery) -> dict[str, Any]:
    return {"id": d.pk, "event_id": d.event_id, "event_type": d.event_type, "status": d.status,
            "status_code": d.status_code, "attempts": d.attempts, "response_snippet": d.response_snippet,
            "created_at": d.created_at, "attempted_at": d.attempted_at, "delivered_at": d.delivered_at}


def _key(request: HttpRequest) -> ApiKey:
    key = getattr(request, "auth", None)
    if not isinstance(key, ApiKey):  # the router's auth always sets it; never act without it
        raise DomainError("not_authenticated", keys.NOT_AUTHENTICATED_MESSAGE, status=401)
    return key


@router.get("/webhooks", response={200: list[WebhookOut], **ERRORS}, summary="Daftar webhook kunci ini")
def webhook_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_out(e) for e in webhooks.endpoints_of_key(_key(request))]


@router.post("/webhooks", response={201: WebhookCreatedOut, **ERRORS},
             summary="Daftarkan webhook (rahasia penandatanganan ditampilkan sekali)")
def webhook_create(request: HttpRequest, payload: WebhookIn):  # type: ignore[no-untyped-def]
    created = webhooks.endpoint_add_for_key(_key(request), url=payload.url, events=payload.events,
                                            description=payload.description)
    return Status(201, {**_out(created.endpoint), "secret": created.secret})


@router.delete("/webhooks/{webhook_id}", response={204: None, **ERRORS}, summary="Hapus webhook")
def webhook_delete(request: HttpRequest, webhook_id: int):  # type: ignore[no-untyped-def]
    webhooks.endpoint_remove(webhooks.endpoint_of_key(_key(request), webhook_id))
    return Status(204, None)


@router.get("/webhooks/{webhook_id}/deliveries", response={200: list[DeliveryOut], **ERRORS},
            summary="Catatan pengiriman webhook")
def webhook_deliveries(request: HttpRequest, webhook_id: int) -> list[dict[str, Any]]:
    endpoint = webhooks.endpoint_of_key(_key(request), webhook_id)
    return [_delivery_out(d) for d in webhooks.deliveries_of(endpoint)]


@router.post("/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver", response={202: DeliveryOut, **ERRORS},
             summary="Kirim ulang satu pengiriman")
def webhook_redeliver(request: HttpRequest, webhook_id: int, delivery_id: int):  # type: ignore[no-untyped-def]
    endpoint = webhooks.endpoint_of_key(_key(request), webhook_id)
    return Status(202, _delivery_out(webhooks.redeliver(webhooks.delivery_of(endpoint, delivery_id))))
