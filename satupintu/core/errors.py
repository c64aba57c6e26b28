"""One error type for every rule a user can break, with a stable code for the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext


class DomainError(Exception):
    """A user-facing error: ``code`` is stable (API clients match on it), ``message`` is for
    people, ``field`` names the input at fault when there is one.

    Domain code writes the message in Bahasa Indonesia; that text is also its msgid, so
    ``message`` reads it in the language of the request being served (English when the person
    or the API client asked for it). Translating where the message is read, not where it is
    raised, keeps every domain function a plain function and reaches every face (pages, API,
    forms) at once. tests/core/test_error_messages.py checks every message has its English."""

    status = 400

    def __init__(self, code: str, message: str, *, field: str | None = None, status: int | None = None,
                 params: dict[str, object] | None = None, **extra: object):
        super().__init__(message % params if params else message)
        self.code = code
        self.text = message  # as written (Bahasa Indonesia), with %(name)s for the values in ``params``
        self.params = params or {}
        self.field = field
        self.extra = extra
        if status is not None:
            self.status = status

    @property
    def message(self) -> str:
        text = gettext(self.text)
        return text % self.params if self.params else text


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class Forbidden(DomainError):
    status = 403


class ValidationErrors(DomainError):
    """Several problems at once: ``code``/``message`` are the first, ``errors`` all of them,
    so a form can show every one next to its field in a single round trip."""

    def __init__(self, errors: list[DomainError], *, message: str | None = None,
                 params: dict[str, object] | None = None):
        first = errors[0]
        super().__init__(first.code, message or first.text, field=first.field, status=first.status,
                         params=params if message else first.params)
        self.errors = errors


def collect_into(errors: list[DomainError], default: Any = None) -> Callable[..., Any]:
    """``attempt(fn, *args, **kwargs)``: what ``fn`` returns, or ``default`` with its
    DomainError added to ``errors``, so one pass over a form finds every problem at once."""

    def attempt(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except DomainError as exc:
            errors.append(exc)
            return default

    return attempt
