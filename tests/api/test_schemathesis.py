"""Issue #11, done-when: schemathesis over the whole API, in-process against the WSGI app,
with no 5xx and every answer matching the OpenAPI document (error answers included).

Bounded and deterministic: a few examples per operation, derandomized, no deadline."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from satupintu.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def _in_test_transaction(db):  # type: ignore[no-untyped-def]
    # The WSGI handler closes the connection after each request, which would end the test's
    # transaction; Django's own test client does the same as this.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("_in_test_transaction")
@schema.parametrize()
@settings(max_examples=8, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case):  # type: ignore[no-untyped-def]
    case.call_and_validate(checks=CHECKS)


@pytest.fixture
def staff_session(_in_test_transaction, people):  # type: ignore[no-untyped-def]
    from django.conf import settings as django_settings
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    c = Client()
    c.force_login(people.kakanwil_sulsel)
    token = _get_new_csrf_string()
    session = c.cookies[django_settings.SESSION_COOKIE_NAME].value
    return {"cookies": {django_settings.SESSION_COOKIE_NAME: session, django_settings.CSRF_COOKIE_NAME: token},
            "headers": {"X-CSRFToken": token}}


@schema.include(tag="rakor").parametrize()
@settings(max_examples=8, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_session_api_signed_in_conforms_to_its_schema(case, staff_session):  # type: ignore[no-untyped-def]
    case.call_and_validate(checks=CHECKS, headers=staff_session["headers"], cookies=staff_session["cookies"])


@pytest.fixture
def api_key_headers(_in_test_transaction, people):  # type: ignore[no-untyped-def]
    from satupintu.integrations import keys
    from satupintu.organization.models import Office

    issued = keys.api_key_issue(office=Office.objects.get(code="73"), user=people.kakanwil_sulsel, name="Schemathesis",
                                scopes=["webhooks"], rate_limit_per_minute=6000)
    return {"Authorization": f"Bearer {issued.secret}"}


@schema.include(tag="integrasi").parametrize()
@settings(max_examples=8, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_key_api_conforms_to_its_schema(case, api_key_headers):  # type: ignore[no-untyped-def]
    case.call_and_validate(checks=CHECKS, headers=api_key_headers)
