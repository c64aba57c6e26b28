"""Issue #11, points 13 and 15: NUL and control characters are refused with a clear 4xx
everywhere (on PostgreSQL they were 500s), every API error is JSON {"code", "message"} in the
client's language, and an oversized body is refused from Content-Length without being read."""

import io
import json

import pytest
from django.test import Client

from satupintu.feedback.models import Report
from satupintu.services.models import Application
from tests.api.test_api import _form

pytestmark = pytest.mark.django_db

REPORT = {"kind": "question", "category": "service_quality", "office": "73.22", "title": "Jam layanan",
          "text": "Apakah kantor buka pada hari Sabtu pagi?\r\nTerima kasih.", "anonymous": "1"}


def _invalid(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid_characters" and "karakter" in body["message"]


@pytest.mark.parametrize("url", [
    "/api/v1/offices?province=73%00", "/api/v1/offices?level=kanwil%01", "/api/v1/services?q=nikah%00",
    "/api/v1/services/legalisir%00", "/api/v1/reports/ABC%00", "/api/v1/applications/ABCDE%00",
    "/api/v1/offices?prov%00ince=73",
])
def test_nul_in_path_or_query_is_a_json_400(url):
    _invalid(Client().get(url))


@pytest.mark.parametrize("field", ["title", "text", "office", "name", "category"])
def test_nul_in_a_form_field_is_refused_before_anything_is_stored(field):
    c = Client()
    _invalid(c.post("/api/v1/reports", {**REPORT, field: "a\x00b"}))
    _invalid(c.post("/api/v1/applications", _form(name="Andi\x00")))
    assert Report.objects.count() == 0 and Application.objects.count() == 0


def test_line_breaks_and_tabs_stay_allowed_in_values():
    assert Client().post("/api/v1/reports", {**REPORT, "text": "Baris satu\n\tbaris dua, cukup panjang."}).status_code == 201


def test_nul_in_a_json_body_or_a_header(people):
    c = Client()
    c.force_login(people.kakanwil_sulsel)
    from tests.rakor.test_api import body

    for raw in (json.dumps(body(title="Rakor\u0000")), json.dumps(body()).replace("Rakor", "Rakor\x07", 1)):
        _invalid(c.post("/api/v1/meetings", raw, content_type="application/json"))
    _invalid(Client().post("/api/v1/applications", _form(), headers={"Idempotency-Key": "k\x00"}))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_json_in_utf16_or_utf32_is_checked_like_utf8(people, encoding):
    # json.loads reads these too: a NUL or a lone surrogate in them reached the database (a 500).
    c = Client()
    c.force_login(people.kakanwil_sulsel)
    from tests.rakor.test_api import body

    for title in ("Rakor\u0000", "Rakor\ud800"):
        _invalid(c.post("/api/v1/meetings", json.dumps(body(title=title)).encode(encoding),
                        content_type="application/json"))
    good = c.post("/api/v1/meetings", json.dumps(body()).encode(encoding), content_type="application/json")
    assert good.status_code == 201, good.content


def test_english_when_asked():
    body = Client().get("/api/v1/offices?province=73%00", headers={"Accept-Language": "en"}).json()
    assert body == {"code": "invalid_characters", "message": body["message"]} and "not allowed" in body["message"]


@pytest.mark.parametrize("url", ["/kantor/73.22%00/", "/layanan/?q=a%00", "/lacak/?kode=%00", "/kantor/73.22%0A/"])
def test_web_pages_refuse_with_a_400_page(url):
    response = Client().get(url)
    assert response.status_code == 400
    page = response.content.decode()
    assert response["Content-Type"].startswith("text/html") and "karakter" in page and 'href="/"' in page


def test_web_form_with_nul_is_a_400_page():
    response = Client().post("/pengaduan/", {**REPORT, "title": "a\x00"})
    assert response.status_code == 400 and "karakter" in response.content.decode()
    assert Report.objects.count() == 0


# --- the error contract ---------------------------------------------------------------

def _error(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code and body["message"], body
    return body


def test_wrong_method_is_a_json_405_with_allow():
    c = Client()
    response = c.post("/api/v1/offices")
    _error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"
    _error(c.delete("/api/v1/applications"), 405, "method_not_allowed")
    english = _error(c.put("/api/v1/services", headers={"Accept-Language": "en"}), 405, "method_not_allowed")
    assert "not supported" in english["message"]


@pytest.mark.parametrize("url", ["/api/v1/tidak-ada", "/api/v2/offices", "/api/", "/api/v1/offices/73"])
def test_unknown_api_addresses_are_json_404(url):
    _error(Client().get(url), 404, "not_found")


class _Unreadable(io.RawIOBase):
    def read(self, *args):  # type: ignore[no-untyped-def]
        raise AssertionError("the body was read")


@pytest.mark.parametrize("content_type", ["multipart/form-data; boundary=x", "application/json"])
def test_a_huge_body_is_refused_from_content_length_without_reading_it(content_type):
    response = Client().generic("POST", "/api/v1/applications", b"", content_type=content_type,
                                CONTENT_LENGTH=str(40 * 1024 * 1024), **{"wsgi.input": _Unreadable()})
    _error(response, 413, "payload_too_large")
    web = Client().generic("POST", "/pengaduan/", b"", content_type=content_type,
                           CONTENT_LENGTH=str(40 * 1024 * 1024), **{"wsgi.input": _Unreadable()})
    assert web.status_code == 413 and "terlalu besar" in web.content.decode()


def test_body_limits_come_from_settings(settings):
    settings.REQUEST_MAX_BYTES = 1000
    response = Client().post("/api/v1/reports", {**REPORT, "text": "x" * 2000})
    _error(response, 413, "payload_too_large")
    settings.REQUEST_MAX_BYTES = 10_000_000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 500
    _error(Client().post("/api/v1/meetings", json.dumps({"title": "x" * 1000}), content_type="application/json"),
           413, "payload_too_large")
    # Form fields past the limit inside an allowed multipart body: 413 too, as JSON.
    _error(Client().post("/api/v1/reports", {**REPORT, "text": "x" * 2000}), 413, "payload_too_large")


def test_unreadable_bodies_are_json_400(people):
    c = Client()
    _error(c.generic("POST", "/api/v1/reports", b"--x\r\nbroken", content_type="multipart/form-data; boundary="),
           400, "bad_request")
    c.force_login(people.kakanwil_sulsel)
    body = _error(c.post("/api/v1/meetings", "{", content_type="application/json"), 400, "invalid_json")
    assert body["message"] == "Isi kiriman bukan JSON yang dapat dibaca."  # was django-ninja's English, code http_error
    english = c.post("/api/v1/meetings", "{", content_type="application/json", headers={"Accept-Language": "en"})
    assert _error(english, 400, "invalid_json")["message"] == "The request body is not readable JSON."


def test_a_form_sent_where_json_or_a_signed_body_is_read_is_a_415_not_a_500(people):
    """The guard reads a form's fields (for control characters), so the raw body is gone: an endpoint
    that reads JSON or a signed raw body answered 500 to any form, signed in or not."""
    c = Client()
    _error(c.post("/api/v1/external/nope/cases/x", {"a": "b", "f": io.BytesIO(b"x")}), 415, "unsupported_media_type")
    c.force_login(people.kakanwil_sulsel)
    response = c.post("/api/v1/meetings", {"title": "Rakor"})
    assert _error(response, 415, "unsupported_media_type")["message"].startswith("Jenis isi kiriman tidak didukung")


@pytest.mark.parametrize("url", ["/api/v1/meetings", "/api/v1/reports", "/lapangan/api/laporan", "/"])
def test_json_nested_thousands_deep_is_a_400_not_a_500(url):
    """json.loads raises RecursionError (not a ValueError) at about a thousand levels, signed in or not."""
    response = Client().generic("POST", url, b"[" * 5000, content_type="application/json")
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json()["code"] == "bad_request"


def test_api_validation_and_not_found_messages_follow_accept_language(people):
    c = Client()
    c.force_login(people.kakanwil_sulsel)
    english = c.post("/api/v1/meetings", json.dumps({"title": 1}), content_type="application/json",
                     headers={"Accept-Language": "en"})
    assert _error(english, 400, "validation_error")["message"].startswith("Invalid input")
    indonesian = c.post("/api/v1/meetings", json.dumps({"title": 1}), content_type="application/json")
    assert _error(indonesian, 400, "validation_error")["message"].startswith("Isian tidak valid")
    assert "not found" in _error(Client().get("/api/v1/x", headers={"Accept-Language": "en"}), 404, "not_found")["message"]
