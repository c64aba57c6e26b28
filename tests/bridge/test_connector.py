"""The generic REST connector against a local stand-in of another app, over real HTTP:
state mapping, and every way the other side fails."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from satupintu.bridge import cases
from satupintu.bridge.connectors import ConnectorError, UnknownReference, fetch_status, json_path
from satupintu.bridge.models import AuthKind, Connector, ExternalCase
from tests.bridge.standin import StandIn, serve

pytestmark = pytest.mark.django_db
PHONE = "+6281234567890"


def test_maps_their_state_to_ours_with_their_label_and_time(connector, standin):
    result = fetch_status(connector, "NK-2026-0001")
    assert result.status == "in_process"
    assert result.label == "Status: DIPROSES"
    assert result.updated_at is not None and result.updated_at.isoformat() == "2026-03-01T09:30:00+07:00"
    # The secret comes from the environment variable the connector names, as a bearer token.
    assert standin.requests[-1]["authorization"] == "Bearer s3cret-for-tests"


def test_reference_is_one_path_segment(connector, standin):
    with pytest.raises(UnknownReference):
        fetch_status(connector, "../admin?x=1")
    # PATH_INFO arrives decoded: "?" inside it proves it was sent encoded (a raw one starts the query).
    assert standin.requests[-1]["path"] == "/api/status/../admin?x=1"


def test_unknown_reference_has_a_clear_message(connector):
    with pytest.raises(UnknownReference) as exc:
        fetch_status(connector, "NK-0000")
    assert exc.value.code == "unknown_reference"
    assert exc.value.message == "Nomor 'NK-0000' tidak ditemukan di SIMKAH."


def test_5xx_is_unavailable(connector, standin):
    standin.fail_status = 503
    with pytest.raises(ConnectorError) as exc:
        fetch_status(connector, "NK-2026-0001")
    assert exc.value.code == "unavailable" and "503" in exc.value.message


def test_garbage_json_is_a_bad_response(connector, standin):
    standin.garbage = True
    with pytest.raises(ConnectorError) as exc:
        fetch_status(connector, "NK-2026-0001")
    assert exc.value.code == "bad_response"


def test_a_state_not_in_the_map_is_named(connector, standin):
    standin.cases["NK-9"] = "ARSIP"
    with pytest.raises(ConnectorError) as exc:
        fetch_status(connector, "NK-9")
    assert exc.value.code == "unknown_state" and "ARSIP" in exc.value.message


def test_slow_app_times_out(connector, standin):
    standin.delay = 2.0  # the connector waits 1 s
    with pytest.raises(ConnectorError) as exc:
        fetch_status(connector, "NK-2026-0001")
    assert exc.value.code == "timeout"


def test_missing_secret_is_not_configured(connector, monkeypatch):
    monkeypatch.delenv("BRIDGE_TEST_SIMKAH_SECRET")
    with pytest.raises(ConnectorError) as exc:
        fetch_status(connector, "NK-2026-0001")
    assert exc.value.code == "not_configured"


def test_private_address_refused_without_the_allow_setting(connector, settings, standin):
    settings.OUTBOUND_ALLOWED_NETWORKS = ""
    # Without a secret to send (with one, plain http outside the allowed networks is refused before
    # the guard is asked: tests/bridge/test_secrets_apart.py).
    connector.auth_kind = AuthKind.NONE
    with pytest.raises(ConnectorError) as exc:
        fetch_status(connector, "NK-2026-0001")
    assert exc.value.code == "unavailable"
    assert standin.requests == []  # nothing reached the stand-in


def test_json_path():
    doc = {"data": {"items": [{"status": "OK"}]}}
    assert json_path(doc, "data.items.0.status") == "OK"
    assert json_path(doc, "data.items.3.status") is None
    assert json_path(doc, "data.nope") is None


# --- cases: the status kept, the retry pushed back ------------------------------------------

def test_timeout_keeps_the_previous_status_and_backs_off(connector, standin):
    case = cases.case_register(connector.app, "NK-2026-0001", "0812-3456-7890")
    assert (case.phone, case.last_status, case.error) == (PHONE, "in_process", "")
    standin.delay = 2.0
    now = timezone.now()
    cases.case_refresh(case, now=now)
    case.refresh_from_db()
    assert case.last_status == "in_process"  # what we knew stays
    assert "tidak menjawab tepat waktu" in case.error
    assert case.failures == 1 and case.next_check_at == now + timedelta(minutes=60)  # 30 min x 2
    cases.case_refresh(case, now=now)
    case.refresh_from_db()
    assert case.failures == 2 and case.next_check_at == now + timedelta(minutes=120)
    standin.delay = 0
    standin.cases["NK-2026-0001"] = "SELESAI"
    cases.case_refresh(case, now=now)
    case.refresh_from_db()
    assert (case.last_status, case.error, case.failures) == ("completed", "", 0)
    assert case.next_check_at is None  # final: no more polling


def test_backoff_is_capped_at_a_day(connector, standin):
    case = cases.case_register(connector.app, "NK-2026-0001", PHONE)
    standin.fail_status = 500
    case.failures = 15
    now = timezone.now()
    cases.case_refresh(case, now=now)
    assert case.next_check_at == now + timedelta(hours=24)


def test_register_refuses_an_unknown_reference_and_keeps_nothing(connector):
    with pytest.raises(UnknownReference):
        cases.case_register(connector.app, "NK-0000", PHONE)
    assert not ExternalCase.objects.exists()


def test_register_while_the_app_is_down_keeps_the_case_for_later(connector, standin):
    standin.fail_status = 502
    case = cases.case_register(connector.app, "NK-2026-0001", PHONE)
    assert case.pk and case.last_status == "" and case.failures == 1 and case.next_check_at is not None


def test_poll_asks_only_the_due_cases(connector, standin):
    due = cases.case_register(connector.app, "NK-2026-0001", PHONE)
    later = cases.case_register(connector.app, "NK-2026-0001", "+6281299998888")
    now = timezone.now()
    ExternalCase.objects.filter(pk=due.pk).update(next_check_at=now - timedelta(minutes=1))
    ExternalCase.objects.filter(pk=later.pk).update(next_check_at=now + timedelta(minutes=10))
    standin.cases["NK-2026-0001"] = "PERBAIKAN"
    before = len(standin.requests)
    from satupintu.bridge.tasks import poll_external_cases

    assert poll_external_cases() == 1
    assert len(standin.requests) == before + 1
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.last_status == "needs_completion" and later.last_status == "in_process"
    assert cases.poll_due() == 0  # nothing due any more


def test_poll_skips_switched_off_connectors(connector):
    case = cases.case_register(connector.app, "NK-2026-0001", PHONE)
    ExternalCase.objects.filter(pk=case.pk).update(next_check_at=timezone.now() - timedelta(minutes=1))
    connector.is_active = False
    connector.save()
    assert cases.poll_due() == 0


def test_a_secret_comes_only_from_a_bridge_variable(simkah, standin, monkeypatch):
    """An editor of the catalog could name the server's own secrets (SECRET_KEY, DATABASE_URL,
    the BSrE password) and point the connector at their own host."""
    from django.core.exceptions import ValidationError

    monkeypatch.setenv("DOCUMENT_SIGNING_BSRE_PASSWORD", "server-only-secret")
    conn = Connector(app=simkah, url_template=standin.base_url + "/api/status/{reference}", auth_kind=AuthKind.BEARER,
                     secret_env="DOCUMENT_SIGNING_BSRE_PASSWORD", state_path="data.status",
                     state_map={"DIPROSES": "in_process"}, timeout_seconds=1)
    with pytest.raises(ValidationError) as refused:
        conn.full_clean()
    assert "BRIDGE_" in str(refused.value)
    conn.save()  # written around the form: still no secret sent
    with pytest.raises(ConnectorError) as exc:
        fetch_status(conn, "NK-2026-0001")
    assert exc.value.code == "not_configured"
    assert all("server-only-secret" not in str(r) for r in standin.requests)


class _Deep(StandIn):
    """An app that answers JSON nested deeper than Python's parser goes."""

    def wsgi(self, environ, start_response):  # type: ignore[no-untyped-def]
        self.requests.append({"path": environ.get("PATH_INFO", "")})
        return self._send(start_response, 200, b"[" * 60000)


def test_an_answer_nested_too_deep_is_a_bad_answer_and_the_poll_goes_on(simkah, settings):
    from django.test import Client

    with serve(_Deep()) as deep:
        settings.OUTBOUND_ALLOWED_NETWORKS = f"127.0.0.1/32:{deep.base_url.rsplit(':', 1)[1]}"
        conn = Connector.objects.create(app=simkah, url_template=deep.base_url + "/api/status/{reference}",
                                        auth_kind=AuthKind.NONE, state_path="data.status",
                                        state_map={"DIPROSES": "in_process"}, poll_minutes=30, timeout_seconds=2)
        with pytest.raises(ConnectorError) as exc:
            fetch_status(conn, "NK-2026-0001")
        assert exc.value.code == "bad_response"
        page = Client().post("/lacak/aplikasi-lain/", {"app": "simkah", "reference": "NK-2026-0009",
                                                       "phone": "081234567890"})
        assert page.status_code < 500  # was a 500
        now = timezone.now()
        for i in range(3):
            ExternalCase.objects.create(app=simkah, reference=f"NK-2026-000{i}", phone=f"+6281234567{i:03d}",
                                        next_check_at=now - timedelta(minutes=10 - i))
        before = len(deep.requests)
        assert cases.poll_due(now=now) == 3 and len(deep.requests) - before == 3  # it stopped at the first
        assert all(c.failures == 1 and c.error for c in ExternalCase.objects.filter(reference__startswith="NK-2026-000"))
