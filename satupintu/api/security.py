"""The API's one way to use the web session: Django's CSRF check on every unsafe call.

A browser sends the session cookie along with any cross-site request (a form, a text/plain
fetch), so an endpoint that acts as the signed-in person must also see the CSRF token
(``X-CSRFToken`` header from the ``csrftoken`` cookie). Public endpoints that never read the
session carry no auth and stay usable without a token.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import SessionAuth
from ninja.utils import check_csrf

from satupintu.core.errors import DomainError
from satupintu.core.request_guard import message


class CsrfSessionAuth(SessionAuth):
    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        if check_csrf(request) is not None:  # safe methods pass; unsafe ones need the token
            raise DomainError("csrf_failed", message("csrf_failed"), status=403)
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


session_auth = CsrfSessionAuth()
