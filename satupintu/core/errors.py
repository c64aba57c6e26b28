"""One error type for every rule a user can break, with a stable code for the API."""

from __future__ import annotations


class DomainError(Exception):
    """A user-facing error: ``code`` is stable (API clients match on it), ``message`` is
    Bahasa Indonesia for people, ``field`` names the input at fault when there is one."""

    status = 400

    def __init__(self, code: str, message: str, *, field: str | None = None, status: int | None = None, **extra: object):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.extra = extra
        if status is not None:
            self.status = status


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class Forbidden(DomainError):
    status = 403


class ValidationErrors(DomainError):
    """Several problems at once: ``code``/``message`` are the first, ``errors`` all of them,
    so a form can show every one next to its field in a single round trip."""

    def __init__(self, errors: list[DomainError], *, message: str | None = None):
        first = errors[0]
        super().__init__(first.code, message or first.message, field=first.field, status=first.status)
        self.errors = errors
