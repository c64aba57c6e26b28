"""The poll token and the push key are two secrets (ASVS L2 review): the token travels to the app on
every poll (its logs, a proxy see it), so it must not sign a push, and it never travels in clear
text across the internet."""

from __future__ import annotations

import json
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client

from satupintu.bridge import cases
from satupintu.bridge.connectors import ConnectorError, fetch_status, push_secret_of
from satupintu.bridge.models import AuthKind, Connector, ExternalCase
from tests.bridge.conftest import PUSH_SECRET, PUSH_SECRET_ENV, SECRET, SECRET_ENV, STATE_MAP

pytestmark = pytest.mark.django_db
PHONE = "+6281234567890"
URL = "/api/v1/external/simkah/cases/NK-2026-0001"
FINAL = json.dumps({"data": {"status": "SELESAI", "keterangan": "Buku nikah terbit"}}).encode()
PUBLIC = "http://93.184.215.14/api/status/{reference}"  # a public address, plain http


def _push(client, secret: str, body: bytes = FINAL):  # type: ignore[no-untyped-def]
    ts = str(int(time.time()))
    return client.post(URL, data=body, content_type="application/json", headers={
        cases.TIMESTAMP_HEADER: ts, cases.SIGNATURE_HEADER: cases.signature(secret, ts, "NK-2026-0001", body)})


# --- pushes: signed with the push key, never with the poll token ---------------------------------

def test_a_push_signed_with_the_poll_token_is_refused_one_signed_with_the_push_key_is_taken(client, connector):
    case = cases.case_register(connector.app, "NK-2026-0001", PHONE)
    stolen = _push(client, SECRET)  # whoever saw the bearer token in the app's logs
    assert stolen.status_code == 401 and stolen.json()["code"] == "bad_signature"
    case.refresh_from_db()
    assert case.last_status == "in_process" and case.next_check_at is not None  # still polled
    taken = _push(client, PUSH_SECRET)
    assert taken.status_code == 200 and taken.json()["status"] == "completed"


def _refused_like_an_unknown_app(response, client) -> None:  # type: ignore[no-untyped-def]
    unknown = client.post("/api/v1/external/nope/cases/NK-2026-0001", data=FINAL, content_type="application/json")
    assert response.status_code == unknown.status_code == 404
    assert response.json()["code"] == unknown.json()["code"] == "unknown_external_app"


@pytest.mark.parametrize("how", ["no push secret", "its variable empty", "its variable unset"])
def test_a_connector_without_a_push_secret_refuses_pushes(client, connector, monkeypatch, how):
    cases.case_register(connector.app, "NK-2026-0001", PHONE)
    if how == "no push secret":
        Connector.objects.filter(pk=connector.pk).update(push_secret_env="")
    elif how == "its variable empty":
        monkeypatch.setenv(PUSH_SECRET_ENV, "")
    else:
        monkeypatch.delenv(PUSH_SECRET_ENV)
    for secret in (SECRET, PUSH_SECRET, ""):
        _refused_like_an_unknown_app(_push(client, secret), client)
    assert ExternalCase.objects.get().last_status == "in_process"


@pytest.mark.parametrize("how", ["same variable", "same value"])
def test_a_push_key_that_is_the_poll_token_is_no_push_key(client, connector, monkeypatch, how):
    """Written around the form (the shell, a migration): the push key may not be the token after all."""
    cases.case_register(connector.app, "NK-2026-0001", PHONE)
    if how == "same variable":
        Connector.objects.filter(pk=connector.pk).update(push_secret_env=SECRET_ENV)
    else:
        monkeypatch.setenv(PUSH_SECRET_ENV, SECRET)
    connector.refresh_from_db()
    assert push_secret_of(connector) == ""
    _refused_like_an_unknown_app(_push(client, SECRET), client)
    assert ExternalCase.objects.get().last_status == "in_process"


def test_the_push_secret_is_named_like_the_poll_secret_and_apart_from_it(simkah):
    conn = Connector(app=simkah, url_template="https://simkah.example/api/status/{reference}",
                     auth_kind=AuthKind.BEARER, secret_env=SECRET_ENV, state_map=STATE_MAP)
    conn.push_secret_env = "SECRET_KEY"  # the server's own secret
    with pytest.raises(ValidationError) as refused:
        conn.full_clean()
    assert "BRIDGE_" in str(refused.value.message_dict["push_secret_env"])
    conn.push_secret_env = SECRET_ENV
    with pytest.raises(ValidationError) as refused:
        conn.full_clean()
    assert refused.value.message_dict["push_secret_env"] == ["Rahasia dorongan harus berbeda dari rahasia penarikan."]
    conn.push_secret_env = PUSH_SECRET_ENV
    conn.full_clean()
    conn.push_secret_env = ""  # pushes refused: allowed (a pull-only connector)
    conn.full_clean()


def test_the_admin_shows_the_push_secret_with_its_help(connector):
    get_user_model().objects.create_superuser("root", "root@test.local", "sandi-uji-123")
    admin = Client()
    assert admin.login(username="root", password="sandi-uji-123")
    page = admin.get(f"/admin/bridge/externalapp/{connector.app.pk}/change/").content.decode()
    assert f'name="connector-0-push_secret_env" value="{PUSH_SECRET_ENV}"' in page
    assert "kunci HMAC yang dipakai aplikasi untuk menandatangani kabar status" in page
    assert "bukan token yang dikirim ke aplikasi" in page


# --- the token never in clear text across the internet -------------------------------------------

@pytest.mark.parametrize("auth", [AuthKind.BEARER, AuthKind.HEADER])
def test_clean_refuses_plain_http_with_a_secret_to_a_public_host(simkah, settings, auth):
    settings.OUTBOUND_ALLOWED_NETWORKS = "10.20.0.0/16"
    conn = Connector(app=simkah, url_template=PUBLIC, auth_kind=auth, auth_header="X-Api-Key",
                     secret_env=SECRET_ENV, state_map=STATE_MAP)
    with pytest.raises(ValidationError) as refused:
        conn.full_clean()
    assert "https" in refused.value.message_dict["url_template"][0]
    conn.url_template = "https://simkah.example/api/status/{reference}"
    conn.full_clean()
    conn.url_template = "http://10.20.1.5/api/status/{reference}"  # an intranet app the operator let through
    conn.full_clean()
    conn.url_template, conn.auth_kind = PUBLIC, AuthKind.NONE  # nothing secret sent: as before
    conn.full_clean()


def test_the_token_is_not_sent_over_plain_http_by_a_row_that_skipped_clean(simkah, standin, settings):
    """The stand-in listens on plain http on a loopback port the outbound guard lets through without
    OUTBOUND_ALLOWED_NETWORKS (the demo simulator's own port): the guard alone would connect, and
    the bearer token would reach it in clear text."""
    settings.OUTBOUND_ALLOWED_NETWORKS = ""
    settings.BRIDGE_SIMULATOR, settings.SITE_URL = True, standin.base_url
    conn = Connector.objects.create(  # no full_clean: the shell, a migration, a fixture
        app=simkah, url_template=standin.base_url + "/api/status/{reference}", auth_kind=AuthKind.BEARER,
        secret_env=SECRET_ENV, state_path="data.status", state_map=STATE_MAP, timeout_seconds=1)
    with pytest.raises(ConnectorError) as exc:
        fetch_status(conn, "NK-2026-0001")
    assert exc.value.code == "https_required"
    assert standin.requests == []  # nothing sent, so no token seen
    # Without a secret the same request goes through (the demo's simulator connector sends none).
    standin.token = ""
    Connector.objects.filter(pk=conn.pk).update(auth_kind=AuthKind.NONE)
    conn.refresh_from_db()
    assert fetch_status(conn, "NK-2026-0002").status == "completed"
    assert standin.requests[-1]["authorization"] == ""


def test_the_token_is_not_sent_when_an_intranet_name_turns_to_the_internet(simkah, settings, monkeypatch):
    """Plain http with a token is let through to an intranet app; a DNS answer that changes between
    that check and the connection (rebinding to a public address) gets no connection at all."""
    from tests.core.test_netguard import _connections_tried, _stand_in_dns

    settings.OUTBOUND_ALLOWED_NETWORKS = "10.20.0.0/16"
    monkeypatch.setenv(SECRET_ENV, SECRET)
    conn = Connector(app=simkah, url_template="http://simkah.intranet.test/api/status/{reference}",
                     auth_kind=AuthKind.BEARER, secret_env=SECRET_ENV, state_path="data.status", state_map=STATE_MAP,
                     timeout_seconds=1)
    _stand_in_dns(monkeypatch, {"simkah.intranet.test": ["10.20.1.5", "93.184.216.34"]})
    tried = _connections_tried(monkeypatch)
    with pytest.raises(ConnectorError) as exc:
        fetch_status(conn, "NK-2026-0001")
    assert exc.value.code == "unavailable" and tried == []  # the token went nowhere
