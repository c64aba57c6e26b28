"""The public API: catalog, offices, applying with files, tracking; JSON errors with codes."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from satupintu.services.models import Application
from tests.conftest import VALID_NIK, VALID_PHONE, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():  # type: ignore[no-untyped-def]
    return Client()


def _form(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "service": "legalisir-ijazah-madrasah", "office": "73.22", "name": "Andi Rahmawati", "nik": VALID_NIK,
        "phone": VALID_PHONE, "email": "andi@contoh.id", "nama_madrasah": "MAN 1 Luwu Utara", "jenjang": "MA",
        "tahun_lulus": "2015", "jumlah_lembar": "3",
        "ijazah_asli": upload("asli.pdf"), "fotokopi_ijazah": upload("fc.pdf"), "ktp": upload("ktp.pdf"),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_offices_filter_by_province_and_level(client):
    body = client.get("/api/v1/offices?province=73&level=kankemenag").json()
    assert len(body) == 24  # Sulawesi Selatan has 24 regencies and cities
    lutra = next(o for o in body if o["code"] == "73.22")
    assert lutra["parent"] == "73" and lutra["timezone"] == "Asia/Makassar" and lutra["opens_at"] == "08:00"
    assert len(client.get("/api/v1/offices?level=kanwil").json()) == 38
    bad = client.get("/api/v1/offices?level=desa")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_level"


def test_services_search_with_typos(client):
    body = client.get("/api/v1/services", {"q": "legalisr ijasah"}).json()
    assert body[0]["slug"] == "legalisir-ijazah-madrasah"
    assert all(s["unit"]["code"] == "phu" for s in client.get("/api/v1/services?unit=phu").json())
    assert len(client.get("/api/v1/services").json()) >= 30
    assert client.get("/api/v1/services?office=99").json()["code"] == "unknown_office"
    # The code is named back, cut: 100 kB typed is not 100 kB of message.
    long = client.post("/api/v1/reports", {"kind": "question", "category": "service_quality", "office": "7" * 100_000,
                                           "title": "Jam layanan", "text": "Apakah kantor buka pada hari Sabtu pagi?"})
    assert long.json()["message"] == f"Kantor dengan kode '{'7' * 20}…' tidak ditemukan."


def test_service_description_is_enough_to_build_the_form(client):
    body = client.get("/api/v1/services/legalisir-ijazah-madrasah?office=73.22").json()
    assert {r["name"] for r in body["requirements"]} == {"ijazah_asli", "fotokopi_ijazah", "ktp"}
    jenjang = next(f for f in body["fields"] if f["name"] == "jenjang")
    assert jenjang == {"name": "jenjang", "label": "Jenjang", "label_en": "Level", "type": "choice", "required": True,
                       "choices": ["MI", "MTs", "MA", "MAK"], "choices_en": ["MI (primary)", "MTs (junior secondary)", "MA (senior secondary)",
                                                     "MAK (vocational senior secondary)"], "min": None,
                       "max": None}
    # number fields carry their range, so an app can check it before sending
    ranges = {f["name"]: (f["min"], f["max"]) for f in body["fields"] if f["type"] == "number"}
    assert ranges == {"tahun_lulus": (1900, timezone.localdate().year), "jumlah_lembar": (1, 100)}
    missing = client.get("/api/v1/services/tidak-ada")
    assert missing.status_code == 404 and missing.json()["code"] == "unknown_service"


def test_apply_then_track(client):
    response = client.post("/api/v1/applications", _form())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted" and body["due_at"]
    code = body["tracking_code"]
    receipt = client.get(body["receipt_url"].replace("http://127.0.0.1:8000", ""))
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")
    tracked = client.get(f"/api/v1/applications/{code}").json()
    assert tracked["status"] == "submitted" and [e["action"] for e in tracked["timeline"]] == ["submit"]
    assert "details" not in tracked or tracked["details"] is None
    assert VALID_NIK not in str(tracked) and "Andi" not in str(tracked)
    detailed = client.get(f"/api/v1/applications/{code.lower()}?phone_last4=7890").json()
    assert detailed["details"]["applicant_name"] == "Andi Rahmawati"
    assert detailed["details"]["form_data"]["jenjang"] == "MA"
    assert VALID_NIK not in str(detailed)


def test_receipt_link_needs_a_valid_signature(client):
    code = client.post("/api/v1/applications", _form()).json()["tracking_code"]
    forged = client.get(f"/lacak/{code}/bukti.pdf?t=forged")
    assert forged.status_code == 302


@pytest.mark.parametrize(
    "overrides, status, code",
    [
        ({"nik": "123"}, 400, "invalid_nik"),
        ({"nik": "7322019913900001"}, 400, "invalid_nik"),
        ({"phone": "12ab"}, 400, "invalid_phone"),
        ({"ktp": None}, 400, "missing_document"),
        ({"ktp": upload("ktp.pdf", png_bytes())}, 400, "file_type_mismatch"),
        ({"service": "tidak-ada"}, 404, "unknown_service"),
        ({"office": "99.99"}, 404, "unknown_office"),
        ({"office": "pusat"}, 400, "service_not_offered"),
        ({"service": None}, 400, "missing_field"),
        ({"jenjang": "SMA"}, 400, "invalid_field"),
    ],
)
def test_bad_input_gets_a_json_error_with_a_stable_code(client, overrides, status, code):
    response = client.post("/api/v1/applications", _form(**overrides))
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code and body["message"]
    assert Application.objects.count() == 0


def test_file_too_large(client, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    response = client.post("/api/v1/applications", _form(ktp=upload("ktp.pdf", pdf_bytes() + b" " * 2000)))
    assert response.status_code == 400 and response.json()["code"] == "file_too_large"


def test_several_errors_are_listed(client):
    body = client.post("/api/v1/applications", _form(nik="1", phone="2")).json()
    assert body["code"] == "invalid_nik"
    assert [e["code"] for e in body["errors"]] == ["invalid_nik", "invalid_phone"]


def test_idempotency_key_and_double_submit(client):
    first = client.post("/api/v1/applications", _form(), headers={"Idempotency-Key": "abc-1"})
    again = client.post("/api/v1/applications", _form(), headers={"Idempotency-Key": "abc-1"})
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["tracking_code"] == again.json()["tracking_code"]
    duplicate = client.post("/api/v1/applications", _form())
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "duplicate_submission"
    assert duplicate.json()["tracking_code"] == first.json()["tracking_code"]
    assert Application.objects.count() == 1


@pytest.mark.parametrize("raw, code", [("ZZZZZ", "invalid_tracking_code"), ("ABCDE-FGH0I", "invalid_tracking_code")])
def test_tracking_malformed_codes(client, raw, code):
    response = client.get(f"/api/v1/applications/{raw}")
    assert response.status_code == 404 and response.json()["code"] == code


def test_tracking_typo_and_unknown_codes(client, submit):
    app = submit()
    typo = app.tracking_code[:-1] + ("A" if app.tracking_code[-1] != "A" else "B")
    assert client.get(f"/api/v1/applications/{typo}").json()["code"] == "mistyped_tracking_code"
    from satupintu.services.tracking_codes import new_tracking_code

    unknown = client.get(f"/api/v1/applications/{new_tracking_code()}")
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_tracking_code"


def test_wrong_phone_digits_are_refused_and_rate_limited(client, submit):
    app = submit()
    for _ in range(5):
        response = client.get(f"/api/v1/applications/{app.tracking_code}?phone_last4=0000")
        assert response.status_code == 403 and response.json()["code"] == "phone_mismatch"
    response = client.get(f"/api/v1/applications/{app.tracking_code}?phone_last4=7890")
    assert response.status_code == 429 and response.json()["code"] == "too_many_attempts"


def test_openapi_and_docs_are_served_offline(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/applications" in spec["paths"] and "/api/v1/applications/{tracking_code}" in spec["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "swagger" in docs.lower() and "cdn" not in docs.lower() and "unpkg" not in docs.lower()


def test_the_document_says_what_a_required_string_must_hold(client):
    """An empty required string was valid by the document and refused by the server: the
    document now says what the domain checks, so a client generated from it knows too."""
    spec = client.get("/api/v1/openapi.json").json()
    apply = spec["paths"]["/api/v1/applications"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    props = apply["properties"]
    assert all(props[k].get("minLength", 0) >= 1 or props[k].get("pattern") for k in apply["required"])
    assert props["nik"]["pattern"] == "^[0-9]{16}$" and props["name"]["maxLength"] == 150
    report = spec["paths"]["/api/v1/reports"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert report["properties"]["text"]["minLength"] == 20 and report["properties"]["title"]["minLength"] == 5
    meeting = spec["components"]["schemas"]["MeetingIn"]
    assert all(meeting["properties"][k]["minLength"] == 1 for k in ("office", "type", "title"))
    assert set(meeting["required"]) >= {"office", "type", "title", "starts_at", "ends_at"}


def test_unknown_api_path_is_json(client):
    response = client.get("/api/v1/tidak-ada")
    assert response.status_code == 404


def test_tracking_answer_follows_every_change(client, submit, people, django_capture_on_commit_callbacks):
    from satupintu.services.workflow import application_transition

    app = submit()
    assert client.get(f"/api/v1/applications/{app.tracking_code}").json()["status"] == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(app, "verify", user=people.fo_lutra)
    body = client.get(f"/api/v1/applications/{app.tracking_code}").json()
    assert body["status"] == "verified" and [e["action"] for e in body["timeline"]] == ["submit", "verify"]
    # English clients get English labels from their own cache entry
    english = client.get(f"/api/v1/applications/{app.tracking_code}", headers={"Accept-Language": "en"}).json()
    assert english["status_label"] == "Verified"


def test_pickup_instructions_reach_the_owner_right_after_completion(client, submit, people,
                                                                     django_capture_on_commit_callbacks):
    """Completed without a product file, the officer's note says where to collect it: the API
    gives it to the owner (like the tracking page, behind the phone proof), at once."""
    from satupintu.services.workflow import application_transition

    note = "Ambil SK di loket PTSP lantai 1, bawa KTP asli."
    app = submit()
    with django_capture_on_commit_callbacks(execute=True):
        app = application_transition(app, "verify", user=people.fo_lutra)
        app = application_transition(app, "process", user=people.pendma_lutra)
    url = f"/api/v1/applications/{app.tracking_code}"
    before = client.get(url, {"phone_last4": "7890"}).json()  # the public part is cached now
    assert before["status"] == "in_process" and before["details"]["pickup_instructions"] == ""
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(app, "complete", user=people.pendma_lutra, note=note)
    after = client.get(url, {"phone_last4": "7890"}).json()
    assert after["status"] == "completed" and after["details"]["pickup_instructions"] == note
    assert "loket PTSP" not in client.get(url).content.decode()  # not without the proof


def test_openapi_document_has_no_duplicate_keys(client):
    """Python's json keeps the last of two equal keys; Swagger UI (a YAML parser) refuses the
    whole document ("duplicated mapping key"). An int and a str status code are two keys."""
    def no_duplicates(pairs):  # type: ignore[no-untyped-def]
        keys = [k for k, _ in pairs]
        assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
        return dict(pairs)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=no_duplicates)


def test_the_proof_may_come_in_a_header_and_the_unlocked_answer_is_not_cached(client):
    # A query string is written down by proxies, gateways and histories (ASVS 8.3.1): the header keeps
    # the phone number out of them; the query parameters still work for the clients that use them.
    code = client.post("/api/v1/applications", _form()).json()["tracking_code"]
    by_header = client.get(f"/api/v1/applications/{code}", HTTP_X_PHONE_LAST4="7890")
    assert by_header.status_code == 200 and by_header.json()["details"]["applicant_name"] == "Andi Rahmawati"
    assert by_header["Cache-Control"] == "private, no-store"
    wrong = client.get(f"/api/v1/applications/{code}", HTTP_X_PHONE_LAST4="0000")
    assert wrong.status_code == 403 and "Andi" not in wrong.content.decode()
    whole = client.get(f"/api/v1/applications/{code}", HTTP_X_PHONE="+6281234567890")
    assert whole.status_code == 200 and whole.json()["details"]["applicant_name"] == "Andi Rahmawati"
    assert client.get(f"/api/v1/applications/{code}?phone_last4=7890")["Cache-Control"] == "private, no-store"
    spec = client.get("/api/v1/openapi.json").json()
    params = {p["name"]: p["in"] for p in spec["paths"]["/api/v1/applications/{tracking_code}"]["get"]["parameters"]}
    assert params["X-Phone-Last4"] == "header" and params["X-Phone"] == "header"
