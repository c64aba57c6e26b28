"""The 503 answer for a lost database (core/outage.py), rendered as Django renders handler500:
inside the except block of the real exception. The drill test_postgres_restart.py checks the
same answers from a real gunicorn while PostgreSQL is really down."""

from __future__ import annotations

import json

import psycopg
import pytest
from django.db import OperationalError, ProgrammingError
from django.test import RequestFactory

from satupintu.core import outage


def _lost_database():  # type: ignore[no-untyped-def]
    # A real refused connection (nothing listens on this port), wrapped the way Django wraps it.
    try:
        psycopg.connect(host="127.0.0.1", port=19999, user="x", dbname="x", connect_timeout=2)
    except psycopg.OperationalError as exc:
        raise OperationalError(str(exc)) from exc


def _answer(method: str, path: str, fault=_lost_database):  # type: ignore[no-untyped-def]
    request = getattr(RequestFactory(), method.lower())(path)
    try:
        fault()
    except Exception:
        return outage.server_error(request)
    raise AssertionError("the fault did not happen")


def test_a_page_read_during_the_outage_reloads_itself():
    response = _answer("GET", "/lacak/ABCDE-FGHJK/")
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "30" and response["Cache-Control"] == "no-store"
    assert "Layanan sementara tidak tersedia" in page and 'http-equiv="refresh"' in page
    assert 'href="/lacak/ABCDE-FGHJK/"' in page


def test_a_form_sent_during_the_outage_says_go_back_and_does_not_reload():
    page = _answer("POST", "/layanan/legalisir-ijazah-madrasah/ajukan/").content.decode()
    assert "Kiriman Anda belum tersimpan" in page and "Kembali" in page
    assert 'http-equiv="refresh"' not in page  # a reload would throw away what was typed


def test_the_retry_link_never_leaves_the_site():
    assert 'href="//' not in _answer("GET", "//contoh.jahat/").content.decode()


def test_the_api_gets_its_json_error():
    response = _answer("GET", "/api/v1/applications/ABCDE-FGHJK")
    assert response.status_code == 503
    assert json.loads(response.content)["code"] == "service_unavailable"


@pytest.mark.parametrize("path", ["/lacak/", "/api/v1/offices"])
def test_a_bug_is_still_a_500(path):
    def bad_query():  # type: ignore[no-untyped-def]
        raise ProgrammingError('relation "tidak_ada" does not exist')

    assert _answer("GET", path, bad_query).status_code == 500
