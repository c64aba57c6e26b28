"""A thin client of the WhatsApp Cloud API (Graph API): send a message, fetch a media file.

Why not pywa: pywa fixes its base URL to graph.facebook.com (our contract has
``WHATSAPP_GRAPH_URL``, for the stand-in and for a ministry egress proxy) and brings its own
webhook server model, while we receive webhooks in Django and work in Celery. What we need of
the protocol is three calls, so they are written here over httpx, with the error shapes of
https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes .
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings

# Graph error codes we act on.
RE_ENGAGEMENT = 131047  # more than 24 hours since the customer last replied: templates only
RATE_LIMITED = {4, 80007, 130429, 131048, 131056}  # too many requests / pair rate limit
TIMEOUT = httpx.Timeout(15.0, connect=5.0)


@dataclass
class GraphError(Exception):
    """The Graph API refused a call. ``retry`` says whether trying later can help."""

    status: int
    code: int
    title: str

    @property
    def retry(self) -> bool:
        return self.status == 429 or self.status >= 500 or self.code in RATE_LIMITED

    def __str__(self) -> str:
        return f"Graph API {self.status} code {self.code}: {self.title}"


def _base() -> str:
    return f"{settings.WHATSAPP_GRAPH_URL}/{settings.WHATSAPP_API_VERSION}"


def _headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {settings.WHATSAPP_ACCESS_TOKEN}"}


def _raise_for(response: httpx.Response) -> None:
    if response.status_code < 400:
        return
    try:
        error = response.json().get("error", {})
        code, title = int(error.get("code", 0)), str(error.get("error_data", {}).get("details")
                                                        or error.get("message") or "")
    except (ValueError, AttributeError, TypeError):
        code, title = 0, response.reason_phrase
    raise GraphError(response.status_code, code, title[:200])


def send_message(phone_number_id: str, body: dict[str, Any]) -> str:
    """POST /{phone_number_id}/messages; returns the new message's id (wamid)."""
    payload = {"messaging_product": "whatsapp", "recipient_type": "individual", **body}
    try:
        response = httpx.post(f"{_base()}/{phone_number_id}/messages", json=payload, headers=_headers(),
                              timeout=TIMEOUT)
    except httpx.HTTPError as exc:  # network: worth a retry
        raise GraphError(503, 0, type(exc).__name__) from exc
    _raise_for(response)
    try:
        return str(response.json()["messages"][0]["id"])
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise GraphError(502, 0, "unexpected answer") from exc


@dataclass
class Media:
    content: bytes
    mime_type: str


def download_media(media_id: str, *, max_bytes: int) -> Media:
    """GET /{media_id} for the short-lived URL, then the file itself (with the same token)."""
    try:
        meta = httpx.get(f"{_base()}/{media_id}", headers=_headers(), timeout=TIMEOUT)
        _raise_for(meta)
        info = meta.json()
        if int(info.get("file_size") or 0) > max_bytes:
            raise GraphError(413, 0, "media too large")
        with httpx.stream("GET", str(info["url"]), headers=_headers(), timeout=TIMEOUT) as response:
            _raise_for(response)
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:  # the size announced may lie: stop reading at the limit
                    raise GraphError(413, 0, "media too large")
                chunks.append(chunk)
    except httpx.HTTPError as exc:
        raise GraphError(503, 0, type(exc).__name__) from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise GraphError(502, 0, "unexpected answer") from exc
    return Media(b"".join(chunks), str(info.get("mime_type") or "application/octet-stream"))


def upload_media(phone_number_id: str, *, content: bytes, mime_type: str, filename: str) -> str:
    """POST /{phone_number_id}/media (multipart); returns the media id to send by."""
    try:
        response = httpx.post(f"{_base()}/{phone_number_id}/media", headers=_headers(), timeout=TIMEOUT,
                              data={"messaging_product": "whatsapp", "type": mime_type},
                              files={"file": (filename, content, mime_type)})
    except httpx.HTTPError as exc:
        raise GraphError(503, 0, type(exc).__name__) from exc
    _raise_for(response)
    try:
        return str(response.json()["id"])
    except (ValueError, KeyError, TypeError) as exc:
        raise GraphError(502, 0, "unexpected answer") from exc
