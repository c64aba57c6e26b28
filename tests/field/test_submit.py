"""Field reports in: what the phone's outbox posts, every bad input with its own code and a
clear message, a resend answered once, and a disabled account refused."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from satupintu.core import ratelimit
from satupintu.field.models import FieldPhoto, FieldReport
from tests.conftest import bomb_png, jpeg_bytes, pdf_bytes, png_bytes
from tests.field.conftest import API, report_data

pytestmark = pytest.mark.django_db


def _post(client, **overrides):  # type: ignore[no-untyped-def]
    return client.post(API, report_data(**overrides))


def test_a_report_by_regency_and_kecamatan_with_photos_is_stored(reporter_client, field_people):
    response = _post(reporter_client, district_code="73.22.03", photos=[
        SimpleUploadedFile("a.jpg", jpeg_bytes(), "image/jpeg"), SimpleUploadedFile("b.png", png_bytes(), "image/png")])
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "submitted" and "menunggu verifikasi" in body["message"]
    report = FieldReport.objects.get()
    assert (report.province_code, report.regency_code, report.district_code) == ("73", "73.22", "73.22.03")
    assert report.office.code == "73.22" and report.reporter == field_people.penyuluh_lutra
    assert report.people_involved == 40 and report.category == "worship"
    assert report.submitted_at.isoformat().startswith("2026-12-04T02:00")  # the phone's moment, in UTC
    assert sorted(p.content_type for p in report.photos.all()) == ["image/jpeg", "image/png"]
    assert all(p.sha256 and p.size and "a.jpg" not in p.file.name for p in report.photos.all())


def test_gps_only_finds_the_regency_from_the_boundaries(reporter_client):
    response = _post(reporter_client, regency_code="", latitude="-5.1400", longitude="119.4200")
    assert response.status_code == 201, response.json()
    report = FieldReport.objects.get()
    assert report.regency_code == "73.71" and report.latitude is not None
    # The Kankemenag of the place verifies (it answers for the place's early-warning zone).
    assert report.office.code == "73.71"


@pytest.mark.parametrize(("overrides", "code", "field"), [
    ({"regency_code": "", "district_code": ""}, "location_required", "regency_code"),
    ({"district_code": "73.71.01"}, "district_not_in_regency", "district_code"),
    ({"regency_code": "99.99"}, "unknown_regency", "regency_code"),
    ({"regency_code": "", "latitude": "35.68", "longitude": "139.69"}, "outside_indonesia", "latitude"),
    ({"regency_code": "", "latitude": "-5.14", "longitude": ""}, "coordinates_invalid", "latitude"),
    ({"regency_code": "", "latitude": "1e30", "longitude": "120.3"}, "coordinates_invalid", "latitude"),  # was a 500
    ({"regency_code": "", "latitude": "-2.5", "longitude": "1" * 23}, "coordinates_invalid", "latitude"),
    ({"regency_code": "", "latitude": "1E+1000000", "longitude": "120"}, "coordinates_invalid", "latitude"),  # abs() overflowed
    ({"regency_code": "", "latitude": "-2.5", "longitude": "-1E+999999999999999999"}, "coordinates_invalid", "latitude"),
    ({"regency_code": "", "latitude": "-6.9", "longitude": "125.5"}, "regency_needed", "regency_code"),  # at sea
    ({"description": "   "}, "description_required", "description"),
    ({"description": "x" * 4001}, "description_too_long", "description"),
    ({"occurred_at": "2099-01-01T10:00:00+08:00"}, "occurred_in_future", "occurred_at"),
    ({"occurred_at": "kemarin sore"}, "occurred_at_invalid", "occurred_at"),
    ({"category": "gossip"}, "unknown_category", "category"),
    ({"urgency": "panic"}, "unknown_urgency", "urgency"),
    ({"people_involved": "-3"}, "people_invalid", "people_involved"),
    ({"people_involved": "²"}, "people_invalid", "people_involved"),  # a digit to str.isdigit, not to int()
    ({"people_involved": "9" * 5000}, "people_invalid", "people_involved"),  # too long for int() itself: was a 500
    ({"occurred_at": "0001-01-01T00:00:00+14:00"}, "occurred_at_too_early", "occurred_at"),  # overflowed in UTC
    ({"client_id": "not-a-uuid"}, "client_id_invalid", "client_id"),
])
def test_bad_input_gets_its_code_and_a_clear_message(reporter_client, overrides, code, field):
    response = _post(reporter_client, **overrides)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code, body
    assert body["message"] and body["errors"][0]["field"] == field if "errors" in body else body["message"]
    assert not FieldReport.objects.exists()


def test_a_photo_that_is_not_an_image_is_refused(reporter_client):
    fake = SimpleUploadedFile("foto.jpg", pdf_bytes(), "image/jpeg")  # a PDF named like a photo
    response = _post(reporter_client, photos=[fake])
    assert response.status_code == 400
    assert response.json()["code"] == "photo_not_image"
    assert "bukan foto" in response.json()["message"]
    broken = SimpleUploadedFile("rusak.jpg", jpeg_bytes()[:40], "image/jpeg")  # JPEG header, no image
    assert _post(reporter_client, photos=[broken]).json()["code"] == "photo_not_image"
    assert not FieldReport.objects.exists() and not FieldPhoto.objects.exists()


def test_a_photo_with_too_many_pixels_is_refused_not_a_500(reporter_client):
    """A 500 here would stall the phone's outbox: it retries a 5xx and sends nothing after it."""
    for claimed in (bomb_png(), bomb_png(8_000, 8_000)):  # over Pillow's bomb limit; over our 60 MP
        response = _post(reporter_client, photos=[SimpleUploadedFile("besar.png", claimed, "image/png")])
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "photo_too_large" and "megapiksel" in body["message"]
    assert not FieldReport.objects.exists() and not FieldPhoto.objects.exists()


def test_a_submitted_at_out_of_range_falls_back_to_the_arrival(reporter_client):
    response = _post(reporter_client, submitted_at="0001-01-01T00:00:00+14:00")
    assert response.status_code == 201, response.json()
    assert FieldReport.objects.get().submitted_at.year >= 2026


def test_too_many_and_too_large_photos_are_refused(reporter_client, settings):
    six = [SimpleUploadedFile(f"{i}.png", png_bytes(), "image/png") for i in range(6)]
    assert _post(reporter_client, photos=six).json()["code"] == "too_many_photos"
    settings.UPLOAD_MAX_BYTES = 100
    big = SimpleUploadedFile("besar.jpg", jpeg_bytes() + b"\0" * 200, "image/jpeg")
    assert _post(reporter_client, photos=[big]).json()["code"] == "photo_too_large"


def test_every_problem_is_reported_at_once(reporter_client):
    body = _post(reporter_client, regency_code="", category="", description="").json()
    assert [e["code"] for e in body["errors"]] == ["unknown_category", "location_required", "description_required"]


def test_the_messages_are_english_when_asked(reporter_client, settings):
    reporter_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the page's language buttons set it
    response = reporter_client.post(API, report_data(regency_code=""))
    assert response.json()["code"] == "location_required"
    assert response.json()["message"].startswith("The location is required")


def test_the_same_client_id_twice_is_one_report_with_the_same_answer(reporter_client):
    data = report_data()
    first = reporter_client.post(API, data)
    again = reporter_client.post(API, data)  # the answer to the first was lost on a flaky connection
    assert (first.status_code, again.status_code) == (201, 200)
    assert {k: v for k, v in first.json().items()} == again.json()
    assert FieldReport.objects.count() == 1


def test_a_client_id_of_another_reporter_is_a_conflict(reporter_client, field_people):
    data = report_data()
    assert reporter_client.post(API, data).status_code == 201
    other = Client()
    other.force_login(field_people.penyuluh_makassar)
    response = other.post(API, data)
    assert response.status_code == 409 and response.json()["code"] == "client_id_taken"


def test_a_disabled_account_is_refused_even_for_a_queued_report(reporter_client, field_people):
    field_people.penyuluh_lutra.is_active = False
    field_people.penyuluh_lutra.save()
    response = reporter_client.post(API, report_data())  # queued offline before the account was disabled
    assert response.status_code == 403
    assert response.json()["code"] == "account_disabled"
    assert "dinonaktifkan" in response.json()["message"]
    assert not FieldReport.objects.exists()


def test_a_resend_after_the_account_was_disabled_is_told_the_report_arrived(reporter_client, field_people):
    data = report_data()
    assert reporter_client.post(API, data).status_code == 201  # stored; the answer lost on a flaky line
    field_people.penyuluh_lutra.is_active = False
    field_people.penyuluh_lutra.save()
    again = reporter_client.post(API, data)
    assert again.status_code == 200, again.json()  # not "refused": it is here, perhaps already verified
    assert again.json()["client_id"] == data["client_id"] and "dinonaktifkan" not in again.json()["message"]
    # a new report, or another account's code, is still refused
    assert reporter_client.post(API, report_data()).json()["code"] == "account_disabled"
    assert FieldReport.objects.count() == 1


def test_signed_out_is_asked_to_sign_in_and_staff_without_the_role_are_refused(client, field_people):
    response = client.post(API, report_data())
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    client.force_login(field_people.fo_lutra)
    response = client.post(API, report_data())
    assert response.status_code == 403 and response.json()["code"] == "not_a_reporter"
    # A head of office may report too.
    client.force_login(field_people.kakan_lutra)
    assert client.post(API, report_data()).status_code == 201


def test_the_csrf_check_answers_json(field_people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(field_people.penyuluh_lutra)
    response = client.post(API, report_data())
    assert response.status_code == 403 and response.json()["code"] == "csrf_failed"
    client.get("/lapangan/")  # sets the cookie the outbox reads
    token = client.cookies["csrftoken"].value
    assert client.post(API, report_data(), headers={"X-CSRFToken": token}).status_code == 201


def test_a_refusal_before_the_view_is_json_the_outbox_can_show(reporter_client):
    # Refused by the request guard (a control character) or by routing: it was an HTML page, and the
    # phone's outbox showed only "HTTP 400".
    refused = reporter_client.post(API, report_data(description="a\x01b"))
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_characters"
    assert refused.json()["message"]
    missing = reporter_client.get("/lapangan/api/tidak-ada/")
    assert missing.status_code == 404 and missing.json()["code"]


def test_the_reporter_reads_their_reports_with_status(reporter_client, field_people):
    reporter_client.post(API, report_data())
    mine = reporter_client.get(API).json()["reports"]
    assert [r["status"] for r in mine] == ["submitted"]
    assert mine[0]["place"] == "Kabupaten Luwu Utara"


def test_kecamatan_of_a_regency(reporter_client):
    body = reporter_client.get("/lapangan/api/kecamatan/73.71/").json()
    assert {"code": "73.71.01", "name": "Mariso"} in body["districts"]
    assert reporter_client.get("/lapangan/api/kecamatan/99.99/").status_code == 404


def test_unknown_client_id_format_never_reaches_the_database(reporter_client):
    assert _post(reporter_client, client_id=str(uuid.uuid4()).upper()).status_code == 201


def test_a_refusal_names_each_field_and_the_bad_photo_and_stores_nothing(reporter_client):
    """What "Perbaiki dan kirim ulang" needs: each reason with its field, the bad photo by its
    number (the phone keeps the others), and nothing stored, so the fixed report may reuse the
    client_id."""
    data = report_data(occurred_at="2099-01-01T10:00:00+08:00")
    good = SimpleUploadedFile("baik.jpg", jpeg_bytes(), "image/jpeg")
    broken = SimpleUploadedFile("rusak.png", png_bytes()[:30], "image/png")
    response = reporter_client.post(API, data | {"photos": [good, broken]})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {(e["code"], e["field"], e.get("photo")) for e in errors} == {
        ("occurred_in_future", "occurred_at", None), ("photo_not_image", "photos", 2)}
    assert not FieldReport.objects.exists() and not FieldPhoto.objects.exists()
    # Fixed on the phone: the good photo kept, the time corrected, the same client_id.
    fixed = data | {"occurred_at": "2026-12-04T09:30:00+08:00",
                    "photos": [SimpleUploadedFile("baik.jpg", jpeg_bytes(), "image/jpeg")]}
    response = reporter_client.post(API, fixed)
    assert response.status_code == 201, response.json()
    report = FieldReport.objects.get()
    assert str(report.client_id) == data["client_id"] and report.photos.count() == 1


def test_a_single_refusal_names_its_field(reporter_client):
    body = _post(reporter_client, client_id="bukan-uuid").json()
    assert (body["code"], body["field"]) == ("client_id_invalid", "client_id")


def test_a_report_saved_under_another_account_is_not_taken_by_this_one(reporter_client, field_people):
    """The service worker sends with whatever session the browser has: a report the outbox
    saved for another account waits (409, a code the phone retries), never lands here."""
    other = field_people.penyuluh_makassar.pk
    response = _post(reporter_client, reporter=str(other))
    assert response.status_code == 409 and response.json()["code"] == "other_account"
    assert not FieldReport.objects.exists()
    mine = _post(reporter_client, reporter=str(field_people.penyuluh_lutra.pk))
    assert mine.status_code == 201
    assert FieldReport.objects.get().reporter == field_people.penyuluh_lutra


def test_the_list_names_the_signed_in_account_for_the_service_worker(reporter_client, field_people):
    assert reporter_client.get(API).json()["user"] == field_people.penyuluh_lutra.pk


def test_accepted_reports_are_limited_per_hour_and_wait_on_the_phone(reporter_client):
    limit = ratelimit.FIELD_REPORTS_PER_USER.limit
    for _ in range(limit):
        assert _post(reporter_client).status_code == 201
    refused = _post(reporter_client)
    assert refused.status_code == 429  # the outbox keeps the report and tries again later
    assert refused.json()["code"] == "too_many_reports"
    assert FieldReport.objects.count() == limit


def test_refused_posts_are_counted_before_their_photos_are_read(reporter_client, settings):
    """Invalid posts, each with photos to verify, used not to count: a stuck script (or a stolen
    session) could make the server read pictures without end."""
    stored = report_data()
    assert reporter_client.post(API, stored).status_code == 201
    photo = SimpleUploadedFile("foto.png", png_bytes(), "image/png")
    for _ in range(ratelimit.FIELD_REPORT_POSTS_PER_USER.limit - 1):
        photo.seek(0)
        assert _post(reporter_client, category="", photos=[photo]).status_code == 400
    limited = _post(reporter_client)  # even a good report now waits
    assert limited.status_code == 429
    assert limited.json()["code"] == "too_many_attempts" and "ponsel" in limited.json()["message"]
    assert reporter_client.post(API, stored).status_code == 200  # a resend is still answered
    reporter_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert reporter_client.post(API, report_data()).json()["message"].startswith("Too many field report posts")
    assert FieldReport.objects.count() == 1
