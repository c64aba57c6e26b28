"""Request ids and structured logs.

Every request gets an id (a well-formed incoming ``X-Request-ID`` or a new one), answered in
the ``X-Request-ID`` header and stamped on every log record written while it runs, including
by the Celery tasks it publishes: the id travels in a task header and the worker puts it back
in the context before the task runs. ``LOG_FORMAT=json`` writes one JSON object a line.

This module must not import prometheus_client (see ``satupintu.core.metrics``): logging is
configured in gunicorn's master before ``PROMETHEUS_MULTIPROC_DIR`` matters.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

from satupintu.core.privacy import mask_emails, mask_free_text

request_id_var: ContextVar[str | None] = ContextVar("satupintu_request_id", default=None)
task_var: ContextVar[tuple[str, str] | None] = ContextVar("satupintu_task", default=None)

REQUEST_ID_HEADER = "X-Request-ID"
# Only ids a proxy or client could sensibly send: an id goes into every log line, so a long
# or odd one (newlines, quotes) could forge or break lines.
_REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._-]{8,64}")
TASK_HEADER = "request_id"

access_log = logging.getLogger("satupintu.request")
task_log = logging.getLogger("satupintu.task")


def valid_request_id(value: object) -> str | None:
    return value if isinstance(value, str) and _REQUEST_ID_RE.fullmatch(value) else None


def new_request_id() -> str:
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    return request_id_var.get()


# --- logging ---------------------------------------------------------------------------------

def masked(text: str) -> str:
    """What a log line may hold of personal data: NIKs, phone numbers and e-mail addresses masked."""
    return mask_free_text(mask_emails(text)) if text else text


class RequestContextFilter(logging.Filter):
    """Stamps request_id (and, inside a task, task_id and task_name) on every record, and masks
    NIKs and phone numbers in its message (a complaint's text can end up in a warning)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is logging's to report, not ours
            message = None
        if message is not None:
            hidden = masked(message)
            if hidden != message:
                record.msg, record.args = hidden, ()
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        task = task_var.get()
        if task is not None and not hasattr(record, "task_id"):
            record.task_id, record.task_name = task
        return True


class _MaskedTracebacks:
    """Tracebacks and stacks masked like messages: an exception's text quotes the values that
    failed (a unique constraint's "Key (nik)=(7322...)", a parser's bad phone number)."""

    def formatException(self, ei) -> str:  # type: ignore[no-untyped-def]  # noqa: N802 - logging's name
        return masked(super().formatException(ei))  # type: ignore[misc]

    def formatStack(self, stack_info: str) -> str:  # noqa: N802
        return masked(super().formatStack(stack_info))  # type: ignore[misc]


class PlainFormatter(_MaskedTracebacks, logging.Formatter):
    """The embedded run's readable lines, with the request id in brackets when there is one."""

    def __init__(self, fmt: str | None = None, datefmt: str | None = None) -> None:
        super().__init__(fmt or "%(asctime)s %(levelname)s %(name)s %(request_label)s%(message)s", datefmt)

    def format(self, record: logging.LogRecord) -> str:
        rid = getattr(record, "request_id", None)
        record.request_label = f"[{rid}] " if rid else ""
        return super().format(record)


# `request` (Django's WSGIRequest, whose repr holds the query string) and friends are never
# written: a query string can carry a phone number or a NIK.
_DROPPED = ("request", "server_time", "color_message", "request_label", "taskName")
_FIRST = ("time", "level", "logger", "message", "request_id")


class JsonFormatter(_MaskedTracebacks, _BaseJsonFormatter):
    """One JSON object a line: time (ISO 8601, UTC), level, logger, message, request_id, then
    whatever the record carries (method, path, status, duration_ms, view, user_id, task_id)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", "%(levelname)s %(name)s %(message)s")
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", "time")
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, *_DROPPED])
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(**kwargs)

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        log_data.setdefault("request_id", None)
        ordered = {key: log_data.pop(key) for key in _FIRST if key in log_data}
        ordered.update(log_data)
        return ordered


# --- the request side --------------------------------------------------------------------------

def _user_id(request: HttpRequest) -> int | None:
    # Only a user the request already loaded: asking `request.user` here would cost a session
    # and a user query on requests that never needed them.
    user = getattr(request, "_cached_user", None)
    return user.pk if user is not None and user.is_authenticated else None


# URL parts that open something by themselves: our survey and attendance links' ``token``, the
# activation and reset links' ``token``, allauth's reset and e-mail confirmation ``key``; and the
# account ids that go with them.
_SECRET_PARTS = ("token", "key")
_ID_PARTS = ("uidb64", "uidb36")


def loggable_path(request: HttpRequest) -> str:
    """The path without its query string, and with secret link tokens blanked: whoever reads
    the logs must not be able to open those links (a reset key in a log line reset a password)."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is None:
        return path
    secrets = [v for k, v in match.kwargs.items() if k in _SECRET_PARTS and isinstance(v, str) and v]
    ids = {v for k, v in match.kwargs.items() if k in _ID_PARTS and isinstance(v, str) and v}
    if not secrets and not ids:
        return path
    # Whole segments: allauth writes "<uidb36>-<key>" in one.
    return "/".join("***" if seg in ids or any(v in seg for v in secrets) else seg for seg in path.split("/"))


def route_name(request: HttpRequest) -> str:
    """The resolved route (``officer_queue``, ``api-1.0.0:track``), never the raw path."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or "unnamed"
    from django.conf import settings

    static_url = getattr(settings, "STATIC_URL", None) or "/static/"
    if request.path.startswith(static_url):
        return "static"
    return "unresolved"


class RequestIdMiddleware:
    """Outermost: gives the request its id, writes the one access line per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        # The id stays set until the response is closed, not just until this returns: Django
        # logs "Not Found"/"Forbidden" after the middleware, and a streamed file after that.
        request_finished.connect(_clear_request_id, dispatch_uid="satupintu-rid-finished")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = valid_request_id(request.headers.get(REQUEST_ID_HEADER)) or new_request_id()
        request.request_id = rid  # type: ignore[attr-defined]
        request_id_var.set(rid)
        started = time.perf_counter()
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = rid
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        path = loggable_path(request)
        access_log.info(
            "%s %s %s %.1fms", request.method, path, response.status_code, duration_ms,
            extra={"method": request.method, "path": path, "status": response.status_code,
                   "duration_ms": duration_ms, "view": route_name(request), "user_id": _user_id(request)},
        )
        return response


def _clear_request_id(**_: Any) -> None:
    request_id_var.set(None)


# --- the task side (Celery signals) ------------------------------------------------------------

# Context tokens of the tasks running now, by task id, so postrun restores what prerun replaced.
_task_tokens: dict[str, tuple[Any, Any, float]] = {}


def on_before_task_publish(headers: dict | None = None, **_: Any) -> None:
    rid = request_id_var.get()
    if rid and headers is not None:
        headers.setdefault(TASK_HEADER, rid)


def on_task_prerun(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    if task is None or task_id is None:
        return
    request = task.request
    rid = valid_request_id(getattr(request, TASK_HEADER, None) or (request.headers or {}).get(TASK_HEADER))
    if rid is None and getattr(request, "is_eager", False):
        # An eager task runs inside the caller: it keeps the caller's id.
        rid = request_id_var.get()
    _task_tokens[task_id] = (request_id_var.set(rid), task_var.set((task_id, task.name)), time.perf_counter())


def on_task_postrun(task_id: str | None = None, task: Any = None, state: str | None = None, **_: Any) -> None:
    tokens = _task_tokens.pop(task_id, None) if task_id else None
    if tokens is None:
        return
    rid_token, task_token, started = tokens
    if task is not None and not getattr(task.request, "is_eager", False):
        task_log.info("task %s %s %.1fms", task.name, state, (time.perf_counter() - started) * 1000,
                      extra={"task_state": state, "duration_ms": round((time.perf_counter() - started) * 1000, 1)})
    try:
        task_var.reset(task_token)
        request_id_var.reset(rid_token)
    except ValueError:  # set in another context (a pool that switched threads): just clear
        task_var.set(None)
        request_id_var.set(None)


def _stamp_celery_handlers(logger: logging.Logger | None = None, **_: Any) -> None:
    """The worker's own handlers (Celery replaces Django's on the root logger) get the filter
    and, in production, the JSON format."""
    from django.conf import settings

    if logger is None:
        return
    for handler in logger.handlers:
        if not any(isinstance(f, RequestContextFilter) for f in handler.filters):
            handler.addFilter(RequestContextFilter())
        if getattr(settings, "LOG_FORMAT", "plain") == "json":
            handler.setFormatter(JsonFormatter())


def connect_task_signals() -> None:
    """Safe to call more than once: Celery keeps one connection per receiver."""
    from celery import signals

    signals.before_task_publish.connect(on_before_task_publish, weak=False, dispatch_uid="satupintu-rid-publish")
    signals.task_prerun.connect(on_task_prerun, weak=False, dispatch_uid="satupintu-rid-prerun")
    signals.task_postrun.connect(on_task_postrun, weak=False, dispatch_uid="satupintu-rid-postrun")
    signals.after_setup_logger.connect(_stamp_celery_handlers, weak=False, dispatch_uid="satupintu-log-root")
    signals.after_setup_task_logger.connect(_stamp_celery_handlers, weak=False, dispatch_uid="satupintu-log-task")
