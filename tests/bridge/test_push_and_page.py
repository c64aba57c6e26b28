"""The push endpoint (HMAC-signed) and the public page that follows a case without an account."""

from __future__ import annotations

import json
import time

import pytest

from satupintu.bridge import cases
from satupintu.bridge.models import ExternalCase
from tests.bridge.conftest import PUSH_SECRET

pytestmark = pytest.mark.django_db
PHONE = "+6281234567890"
URL = "/api/v1/external/simkah/cases/NK-2026-0001"


def _push(client, body: bytes, *, secret: str = PUSH_SECRET, timestamp: str | None = None, url: str = URL):  # type: ignore[no-untyped-def]
    ts = timestamp or str(int(time.time()))
    return client.post(url, data=body, content_type="application/json", headers={
        cases.TIMESTAMP_HEADER: ts, cases.SIGNATURE_HEADER: cases.signature(secret, ts, url.rsplit("/", 1)[1], body)})


def test_push_with_a_good_signature_updates_the_case(client, connector):
    case = cases.case_register(connector.app, "NK-2026-0001", PHONE)
    body = json.dumps({"data": {"status": "SELESAI", "keterangan": "Buku nikah terbit"}}).encode()
    response = _push(client, body)
    assert response.status_code == 200, response.content
    assert response.json() == {"reference": "NK-2026-0001", "status": "completed", "label": "Buku nikah terbit",
                               "updated": 1}
    case.refresh_from_db()
    assert case.last_status == "completed" and case.next_check_at is None


@pytest.mark.parametrize("how", ["wrong secret", "old timestamp", "no signature", "body changed", "non-ASCII",
                                 "superscript timestamp", "replayed to another case", "400-digit timestamp",
                                 "4301-digit timestamp", "13-digit timestamp"])
def test_push_with_a_bad_signature_is_refused(client, connector, how):
    cases.case_register(connector.app, "NK-2026-0001", PHONE)
    body = json.dumps({"data": {"status": "DITOLAK"}}).encode()
    if how == "wrong secret":
        response = _push(client, body, secret="guess")
    elif how == "old timestamp":
        response = _push(client, body, timestamp=str(int(time.time()) - 3600))
    elif how == "no signature":
        response = client.post(URL, data=body, content_type="application/json")
    elif how == "non-ASCII":  # compare_digest raised TypeError on it: a 500
        response = client.post(URL, data=body, content_type="application/json", headers={
            cases.TIMESTAMP_HEADER: str(int(time.time())), cases.SIGNATURE_HEADER: "sha256=é"})
    elif how == "superscript timestamp":  # a digit to isdigit(), not to int()
        response = _push(client, body, timestamp="²")
    elif how.endswith("-digit timestamp"):  # 400: OverflowError against time(); 4301: int() refuses it (500s)
        response = _push(client, body, timestamp="9" * int(how.split("-")[0]))
    elif how == "replayed to another case":  # a push signed for NK-2026-0002, sent to NK-2026-0001's address
        ts = str(int(time.time()))
        response = client.post(URL, data=body, content_type="application/json", headers={
            cases.TIMESTAMP_HEADER: ts, cases.SIGNATURE_HEADER: cases.signature(PUSH_SECRET, ts, "NK-2026-0002", body)})
    else:
        ts = str(int(time.time()))
        response = client.post(URL, data=body + b" ", content_type="application/json", headers={
            cases.TIMESTAMP_HEADER: ts, cases.SIGNATURE_HEADER: cases.signature(PUSH_SECRET, ts, "NK-2026-0001", body)})
    assert response.status_code == 401 and response.json()["code"] == "bad_signature"
    assert ExternalCase.objects.get().last_status == "in_process"


def _signed(body: bytes, timestamp: str | None = None, reference: str = "NK-2026-0001") -> dict[str, str]:
    ts = timestamp or str(int(time.time()))
    return {cases.TIMESTAMP_HEADER: ts, cases.SIGNATURE_HEADER: cases.signature(PUSH_SECRET, ts, reference, body)}


def _status(updated: str, state: str) -> bytes:
    return json.dumps({"data": {"status": state, "keterangan": state, "updated": updated}}).encode()


def test_a_push_replayed_within_the_window_is_refused_and_a_final_status_stays(client, connector):
    case = cases.case_register(connector.app, "NK-2026-0001", PHONE)  # DIPROSES, updated 09.30
    in_process = _status("2026-03-01T10:00:00+07:00", "PERBAIKAN")
    completed = _status("2026-03-01T11:00:00+07:00", "SELESAI")
    first = _signed(in_process)
    assert client.post(URL, data=in_process, content_type="application/json", headers=first).status_code == 200
    assert client.post(URL, data=completed, content_type="application/json",
                       headers=_signed(completed)).status_code == 200
    # The first push again, byte for byte (same timestamp, same signature), still inside the five minutes.
    replay = client.post(URL, data=in_process, content_type="application/json", headers=first)
    assert replay.status_code == 409 and replay.json()["code"] == "push_replayed"
    case.refresh_from_db()
    assert case.last_status == "completed" and case.next_check_at is None  # and polling does not restart
    # Signed afresh, an older news or a step back from a final status changes nothing either.
    for body in (_status("2026-03-01T10:30:00+07:00", "DIPROSES"), _status("2026-03-01T12:00:00+07:00", "DIPROSES"),
                 json.dumps({"data": {"status": "DIPROSES"}}).encode()):
        response = client.post(URL, data=body, content_type="application/json", headers=_signed(body))
        assert response.status_code == 200 and response.json()["updated"] == 0
        assert response.json()["status"] == "completed"
    case.refresh_from_db()
    assert (case.last_status, case.last_label, case.next_check_at) == ("completed", "SELESAI", None)


def test_a_push_older_than_what_we_know_is_skipped(client, connector):
    case = cases.case_register(connector.app, "NK-2026-0001", PHONE)  # DIPROSES, updated 09.30 (+07:00)
    older = _status("2026-03-01T08:00:00+07:00", "VERIFIKASI")
    response = client.post(URL, data=older, content_type="application/json", headers=_signed(older))
    assert response.status_code == 200 and response.json()["updated"] == 0
    case.refresh_from_db()
    assert case.last_status == "in_process"
    newer = _status("2026-03-01T10:00:00+07:00", "PERBAIKAN")
    assert client.post(URL, data=newer, content_type="application/json",
                       headers=_signed(newer)).json()["updated"] == 1
    case.refresh_from_db()
    assert case.last_status == "needs_completion"


def test_a_refused_push_can_be_sent_again(client, connector):
    """Only a push that was taken counts as seen: the app's retry of one we refused is not a replay."""
    body = _status("2026-03-01T10:00:00+07:00", "SELESAI")
    headers = _signed(body)
    assert client.post(URL, data=body, content_type="application/json", headers=headers).status_code == 404
    cases.case_register(connector.app, "NK-2026-0001", PHONE)
    again = client.post(URL, data=body, content_type="application/json", headers=headers)
    assert again.status_code == 200 and again.json()["status"] == "completed"


def test_push_for_a_reference_nobody_follows_or_an_unknown_app(client, connector):
    body = b'{"data": {"status": "SELESAI"}}'
    assert _push(client, body).json()["code"] == "unknown_case"
    response = _push(client, body, url="/api/v1/external/nope/cases/NK-1")
    assert response.status_code == 404 and response.json()["code"] == "unknown_external_app"


def test_push_of_an_unknown_state_or_garbage_is_a_400(client, connector):
    cases.case_register(connector.app, "NK-2026-0001", PHONE)
    assert _push(client, b'{"data": {"status": "ARSIP"}}').json()["code"] == "unknown_state"
    response = _push(client, b"not json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_json"


# --- the public page --------------------------------------------------------------------

def test_page_registers_with_the_full_number_then_shows_the_status(client, connector):
    page = client.get("/lacak/aplikasi-lain/?app=simkah")
    assert page.status_code == 200 and 'value="simkah" selected' in page.content.decode()
    response = client.post("/lacak/aplikasi-lain/", {"app": "simkah", "reference": "NK-2026-0001",
                                                    "phone": "0812 3456 7890"})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Diproses" in html and "Status: DIPROSES" in html and "NK-2026-0001" in html


def test_page_with_last_four_digits_in_another_browser(client, connector):
    from django.test import Client

    cases.case_register(connector.app, "NK-2026-0001", PHONE)
    other = Client()
    wrong = other.post("/lacak/aplikasi-lain/", {"app": "simkah", "reference": "NK-2026-0001", "phone_last4": "1111"})
    assert wrong.status_code == 400 and 'href="#phone_last4"' in wrong.content.decode()
    assert 'value="NK-2026-0001"' in wrong.content.decode()  # what was typed is kept
    right = other.post("/lacak/aplikasi-lain/", {"app": "simkah", "reference": "NK-2026-0001", "phone_last4": "7890"})
    assert right.status_code == 302
    assert "Diproses" in other.get(right["Location"]).content.decode()
    # A third browser cannot open the case page by its number.
    assert Client().get(right["Location"]).status_code == 302


def test_the_last_four_digits_do_not_put_the_whole_number_in_the_link(client, connector):
    from django.test import Client

    from satupintu.bridge.models import ExternalApp

    ExternalApp.objects.filter(code="simkah").update(prefill={"phone": "hp"})  # an app that takes it
    typed = client.post("/lacak/aplikasi-lain/", {"app": "simkah", "reference": "NK-2026-0001", "phone": PHONE})
    typed_page = client.get(typed["Location"])
    # Whoever typed it all: carried to the app in a POST body, not in the link.
    assert '<input type="hidden" name="hp" value="+6281234567890">' in typed_page.content.decode()
    assert "hp=" not in typed_page.content.decode()
    other = Client()
    four = other.post("/lacak/aplikasi-lain/", {"app": "simkah", "reference": "NK-2026-0001", "phone_last4": "7890"})
    page = other.get(four["Location"]).content.decode()
    assert "Diproses" in page and "6281234567890" not in page and 'name="hp"' not in page


def test_page_unknown_reference_is_said_clearly(client, connector):
    response = client.post("/lacak/aplikasi-lain/", {"app": "simkah", "reference": "NK-0000", "phone": PHONE})
    html = response.content.decode()
    assert response.status_code == 404
    assert "Nomor &#x27;NK-0000&#x27; tidak ditemukan di SIMKAH." in html and 'href="#reference"' in html


def test_page_needs_digits_and_an_app(client, connector):
    response = client.post("/lacak/aplikasi-lain/", {"reference": "NK-2026-0001"})
    html = response.content.decode()
    assert response.status_code == 400 and 'href="#app"' in html and 'href="#phone_last4"' in html


def test_page_shows_the_last_known_status_when_the_app_is_down(client, connector, standin):
    response = client.post("/lacak/aplikasi-lain/", {"app": "simkah", "reference": "NK-2026-0001", "phone": PHONE})
    case = ExternalCase.objects.get()
    ExternalCase.objects.filter(pk=case.pk).update(next_check_at=case.checked_at)  # due now
    standin.fail_status = 503
    client.post("/lacak/aplikasi-lain/", {"app": "simkah", "reference": "NK-2026-0001", "phone_last4": "7890"})
    html = client.get(response["Location"]).content.decode()
    assert "Diproses" in html and 'id="check-failed"' in html


def test_wrong_guesses_are_capped(client, connector):
    cases.case_register(connector.app, "NK-2026-0001", PHONE)
    codes = [client.post("/lacak/aplikasi-lain/", {"app": "simkah", "reference": "NK-2026-0001",
                                                   "phone_last4": f"{i:04d}"}).status_code for i in range(11)]
    assert codes[:10] == [400] * 10 and codes[10] == 429


def test_page_in_english(client, connector):
    client.cookies["django_language"] = "en"
    html = client.post("/lacak/aplikasi-lain/", {"app": "simkah", "reference": "NK-0000", "phone": PHONE}
                       ).content.decode()
    assert "Track a registration in another app" in html
    assert "Number &#x27;NK-0000&#x27; was not found in SIMKAH." in html


def test_page_without_connected_apps_says_so(client, db):
    assert "Belum ada aplikasi lain" in client.get("/lacak/aplikasi-lain/").content.decode()


def test_a_poll_answer_does_not_undo_a_final_status_pushed_meanwhile(client, connector, standin):
    case = cases.case_register(connector.app, "NK-2026-0001", PHONE)
    asked = ExternalCase.objects.get(pk=case.pk)  # the poll's copy, read before it asks the app
    body = _status("2026-03-01T11:00:00+07:00", "SELESAI")
    assert client.post(URL, data=body, content_type="application/json", headers=_signed(body)).status_code == 200
    cases.case_refresh(asked)  # the app (its cache) still says DIPROSES
    case.refresh_from_db()
    assert (case.last_status, case.next_check_at) == ("completed", None)
    standin.fail_status = 503  # nor does a failed poll start polling again
    cases.case_refresh(asked)
    case.refresh_from_db()
    assert (case.last_status, case.next_check_at) == ("completed", None)


@pytest.mark.parametrize("updated", ["2026-02-30T10:00:00+07:00", "9999-12-31T23:00:00-05:00", "2026-03-01T10:00:00"])
def test_a_push_with_an_impossible_or_naive_time_is_taken(client, connector, updated):
    """A day that does not exist made parse_datetime raise (a 500); a time past datetime's range in UTC
    failed when stored; a time without an offset is taken as ours."""
    case = cases.case_register(connector.app, "NK-2026-0001", PHONE)
    body = _status(updated, "PERBAIKAN")
    response = client.post(URL, data=body, content_type="application/json", headers=_signed(body))
    assert response.status_code == 200 and response.json()["updated"] == 1
    case.refresh_from_db()
    assert case.last_status == "needs_completion"


def test_the_phone_proof_gives_a_new_session_key_and_the_case_page_is_not_cached(client, connector):
    """As on /lacak/<code>/: a session key planted before the proof does not open the case after it."""
    from django.conf import settings
    from django.test import Client

    cases.case_register(connector.app, "NK-2026-0001", PHONE)
    client.get("/lacak/aplikasi-lain/")
    client.session.save()
    planted = client.session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = planted
    right = client.post("/lacak/aplikasi-lain/", {"app": "simkah", "reference": "NK-2026-0001", "phone_last4": "7890"})
    assert right.status_code == 302 and client.cookies[settings.SESSION_COOKIE_NAME].value != planted
    page = client.get(right["Location"])
    assert "Diproses" in page.content.decode() and "no-store" in page["Cache-Control"]
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = planted
    assert attacker.get(right["Location"]).status_code == 302  # back to the form: nothing opened
