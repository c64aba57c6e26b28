"""What every request must be before any view sees it, and what every API error looks like.

``RequestGuardMiddleware`` refuses, before a view or the database is reached:
- a body larger than ``REQUEST_MAX_BYTES`` (from Content-Length, without reading it): 413;
- NUL and other control characters in the path, the query, form fields and file names,
  JSON bodies and the request headers: 400 ``invalid_characters`` (the bodies of signed
  webhooks under /webhooks/ excepted: they are checked by their signature and cleaned where read). PostgreSQL cannot store a
  NUL (a 500 before this), and no legitimate input has one. Tab, CR and LF stay allowed in
  values (text areas, JSON text), never in the path. A lone UTF-16 surrogate (U+D800-U+DFFF,
  which only a JSON escape such as "\\ud800" can carry) is refused the same way: it cannot be
  encoded to UTF-8, so saving it was a 500 on every JSON endpoint.

``ApiErrorMiddleware`` makes every error under /api/ (and the field app's /lapangan/api/) JSON ``{"code", "message"}``, whoever
produced it (the URL resolver's 404, django-ninja's 405, Django's 400/413/500), with the
message in the request's language (Indonesian unless the client asks for English).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils import translation

# Control characters, and lone surrogates (only a JSON escape such as \ud800 carries one): UTF-8
# has no bytes for a lone surrogate, so saving one was a 500.
_CONTROL_IN_VALUE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_CONTROL_ANYWHERE = re.compile(r"[\x00-\x1f\x7f]")
_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
_UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
# Signed webhooks from outside services: their bodies are checked by their own signature first,
# and cleaned where they are read (whatsapp/inbound.py). Refusing one here would lose a
# citizen's message for good (Meta retries, then gives up), and parsing it costs every delivery.
# The demo's Graph API stand-in reads its body raw too, as Meta does (a media upload is multipart):
# parsed here first, the stand-in could no longer read it and every file an officer sent failed.
_OWN_BODY_CHECK = ("/webhooks/", "/wa-simulator/graph/")

# code -> (Indonesian, English). The API's stable codes for errors no view of ours raised.
MESSAGES: dict[str, tuple[str, str]] = {
    "invalid_characters": ("Permintaan berisi karakter yang tidak diizinkan (NUL, karakter kendali, atau "
                           "surrogate Unicode tanpa pasangan).",
                           "The request contains characters that are not allowed (NUL, control characters or "
                           "lone Unicode surrogates)."),
    "payload_too_large": ("Kiriman terlalu besar (maksimal {mb} MB).", "The request body is too large (at most {mb} MB)."),
    "bad_request": ("Permintaan tidak dapat dibaca.", "The request could not be read."),
    "unreadable_form": ("Kiriman formulir tidak dapat dibaca. Jika Anda melampirkan berkas, ganti namanya dengan "
                        "nama yang lebih pendek lalu kirim lagi.",
                        "The form could not be read. If you attached a file, give it a shorter name and send "
                        "it again."),
    "not_authenticated": ("Masuk terlebih dahulu.", "Please sign in first."),
    "csrf_failed": ("Token CSRF tidak ada atau tidak cocok. Muat ulang halaman lalu coba lagi.",
                    "The CSRF token is missing or incorrect. Reload the page and try again."),
    "forbidden": ("Anda tidak berwenang melakukan ini.", "You are not allowed to do this."),
    "not_found": ("Alamat API tidak ditemukan.", "API address not found."),
    "record_not_found": ("Data yang diminta tidak ditemukan.", "The requested record was not found."),
    "method_not_allowed": ("Metode {method} tidak didukung di alamat ini.", "Method {method} is not supported here."),
    "unsupported_media_type": ("Jenis isi kiriman tidak didukung di alamat ini; lihat /api/v1/docs.",
                               "This content type is not taken here; see /api/v1/docs."),
    "invalid_json": ("Isi kiriman bukan JSON yang dapat dibaca.", "The request body is not readable JSON."),
    "too_many_requests": ("Terlalu banyak permintaan. Coba lagi nanti.", "Too many requests. Try again later."),
    "internal_error": ("Terjadi kesalahan pada server.", "Something went wrong on the server."),
    "service_unavailable": ("Layanan sedang tidak tersedia. Coba lagi sebentar lagi.",
                            "The service is unavailable for a moment. Try again shortly."),
    "http_error": ("Permintaan tidak dapat diproses.", "The request could not be processed."),
}
CODE_FOR_STATUS = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
                   405: "method_not_allowed", 413: "payload_too_large", 415: "unsupported_media_type",
                   429: "too_many_requests", 500: "internal_error", 503: "service_unavailable"}


def message(code: str, **values: object) -> str:
    """The message for ``code`` in the active language (Indonesian unless English was asked)."""
    indonesian, english = MESSAGES.get(code, MESSAGES["http_error"])
    text = english if (translation.get_language() or "id").startswith("en") else indonesian
    return text.format(**values) if values else text


def api_error(code: str, status: int, **values: object) -> JsonResponse:
    return JsonResponse({"code": code, "message": message(code, **values)}, status=status)


def _max_mb(limit: int) -> str:
    return f"{limit / (1024 * 1024):g}" if limit % (1024 * 1024) else str(limit // (1024 * 1024))


def _strings(value: Any) -> Iterator[str]:
    """Every key and string inside a parsed JSON document."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _bad_input(request: HttpRequest) -> bool:
    if _CONTROL_ANYWHERE.search(request.path):
        return True
    for key, values in request.GET.lists():
        if _CONTROL_IN_VALUE.search(key) or any(_CONTROL_IN_VALUE.search(v) for v in values):
            return True
    for meta_key, meta_value in request.META.items():
        if meta_key.startswith("HTTP_") and isinstance(meta_value, str) and _CONTROL_IN_VALUE.search(meta_value):
            return True
    if request.method not in _UNSAFE or request.path.startswith(_OWN_BODY_CHECK):
        return False
    if request.content_type in _FORM_TYPES:
        for key, values in request.POST.lists():
            if _CONTROL_IN_VALUE.search(key) or any(_CONTROL_IN_VALUE.search(v) for v in values):
                return True
        return any(_CONTROL_IN_VALUE.search(f.name or "") for _k, files in request.FILES.lists() for f in files)
    if not request.META.get("CONTENT_LENGTH"):
        return False
    # Any other body is read as text when it is text (django-ninja parses JSON whatever the
    # declared type, so a text/plain body is checked too); binary bodies are not ours to judge.
    # In the encoding json.loads would read it in: UTF-16 and UTF-32 JSON are parsed too.
    encoding = json.detect_encoding(request.body)
    try:
        text = request.body.decode(encoding)
    except UnicodeDecodeError:
        return False
    try:
        document = json.loads(text)
    except ValueError:
        if encoding != "utf-8":
            return False  # bytes that only look like UTF-16: not text, not JSON
        return bool(_CONTROL_IN_VALUE.search(text))
    return bool(_CONTROL_IN_VALUE.search(text)) or any(_CONTROL_IN_VALUE.search(s) for s in _strings(document))


class RequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.REQUEST_MAX_BYTES
        if request.content_type != "multipart/form-data" and settings.DATA_UPLOAD_MAX_MEMORY_SIZE is not None:
            limit = min(limit, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        if length > limit:
            return self._refuse(request, "payload_too_large", 413, mb=_max_mb(limit))
        try:
            bad = _bad_input(request)
        except RequestDataTooBig:
            return self._refuse(request, "payload_too_large", 413, mb=_max_mb(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0))
        except MultiPartParserError:
            # Django refuses a form part whose headers pass 1,024 bytes: a file named with ~1,000 characters.
            # A person is told what to change; the API keeps its code.
            return self._refuse(request, "bad_request" if is_api(request.path) else "unreadable_form", 400)
        except (SuspiciousOperation, OSError):
            return self._refuse(request, "bad_request", 400)
        except RecursionError:  # JSON nested thousands deep ("[[[[..."): no reader of ours gets past it
            return self._refuse(request, "bad_request", 400)
        if bad:
            return self._refuse(request, "invalid_characters", 400)
        return self.get_response(request)

    def _refuse(self, request: HttpRequest, code: str, status: int, **values: object) -> HttpResponse:
        if is_api(request.path):
            response: HttpResponse = api_error(code, status, **values)
        else:
            # A plain page that needs neither the request's data nor the database.
            english = (translation.get_language() or "id").startswith("en")
            titles = {400: ("Permintaan ditolak", "Request refused"), 413: ("Kiriman terlalu besar", "Request too large")}
            response = HttpResponse(render_to_string("request_refused.html", {
                "title": titles[status][1 if english else 0],
                "message": message(code, **values), "status": status,
                "lang": translation.get_language() or "id",
            }), status=status)
        if status == 413:
            response["Connection"] = "close"  # the rest of the body is not read
        return response


def _is_error_json(response: HttpResponse) -> bool:
    """Already the contract: a JSON object with a code and a message."""
    if not response.get("Content-Type", "").startswith("application/json") or getattr(response, "streaming", False):
        return False
    try:
        body = json.loads(response.content)
    except ValueError:
        return False
    return isinstance(body, dict) and isinstance(body.get("code"), str) and isinstance(body.get("message"), str)


# Where programs (the public API, the field app's outbox) read the answers: errors there are JSON
# {"code", "message"}, never a page (the field app showed only "HTTP 400" for a refused report).
API_PREFIXES = ("/api/", "/lapangan/api/")


def is_api(path: str) -> bool:
    return path.startswith(API_PREFIXES)


class ApiErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code < 400 or not is_api(request.path) or _is_error_json(response):
            return response
        code = CODE_FOR_STATUS.get(response.status_code, "internal_error" if response.status_code >= 500 else "http_error")
        replaced = api_error(code, response.status_code, method=request.method)
        for header in ("Allow", "Retry-After", "Vary", "Content-Language", "Connection"):
            if header in response:
                replaced[header] = response[header]
        return replaced
