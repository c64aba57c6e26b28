"""Issue #11, point 12: the session API needs the CSRF token for every unsafe call; the
public endpoints that never read the session stay usable without one."""

import inspect
import json
import re

import pytest
from django.core import mail
from django.test import Client

from satupintu.api.api import api
from satupintu.rakor.models import Meeting
from tests.rakor.test_api import body

pytestmark = pytest.mark.django_db


def _signed_in(people) -> Client:  # type: ignore[no-untyped-def]
    c = Client(enforce_csrf_checks=True)  # like a real browser: Django checks the token
    c.force_login(people.kakanwil_sulsel)
    return c


def test_a_session_without_the_token_creates_no_meeting(people):
    c = _signed_in(people)
    invite = body(invited_people=["kakanwil.jateng"], invited_offices=["73.22"])
    for content_type in ("application/json", "text/plain"):
        r = c.post("/api/v1/meetings", json.dumps(invite), content_type=content_type,
                   headers={"Origin": "https://penyerang.example"})
        assert r.status_code == 403, r.content
        assert r.json()["code"] == "csrf_failed" and r.json()["message"]
    assert Meeting.objects.count() == 0 and mail.outbox == []


def test_the_same_session_with_its_token_works(people):
    c = _signed_in(people)
    page = c.get("/rakor/baru/").content.decode()  # any page with a form sets the csrftoken cookie
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    r = c.post("/api/v1/meetings", body(), content_type="application/json", headers={"X-CSRFToken": token})
    assert r.status_code == 201, r.content
    assert c.get("/api/v1/meetings").status_code == 200  # reading needs no token


def test_public_endpoints_stay_usable_without_a_token(people):
    c = _signed_in(people)  # even with a session cookie along
    r = c.post("/api/v1/reports", {"kind": "question", "category": "service_quality", "office": "73.22",
                                  "title": "Jam layanan", "text": "Apakah kantor buka pada hari Sabtu pagi?", "anonymous": "1"})
    assert r.status_code == 201, r.content


def test_every_operation_that_reads_the_session_checks_the_token():
    # The mechanism, not one route: an operation whose view reads request.user or the session
    # must carry the CSRF-checking session auth.
    from satupintu.api.security import session_auth

    checked = 0
    for router in api._get_bound_routers():  # the operations as mounted, auth inherited
        for path, path_view in router.path_operations.items():
            for op in path_view.operations:
                source = inspect.getsource(op.view_func)
                uses_session = "request.user" in source or "request.session" in source or "_staff(" in source \
                    or "_visible_meeting(" in source
                if uses_session:
                    assert session_auth in op.auth_callbacks, f"{op.methods} {path} reads the session without CSRF"
                    checked += 1
    assert checked >= 5
