"""The Content-Security-Policy's form-action, through the Django test client: forms post to this
site, and with INApas on (OIDC_ISSUER), to the issuer's origin too. allauth's "Continue" form
posts to /akun/oidc/inapas/login/, which answers with a redirect to the issuer's authorize page,
and Chromium and Safari check form-action on that redirect: without the issuer's origin the
citizen's INApas sign-in stops there. (tests/e2e/test_inapas_sign_in.py follows it in Chromium.)

settings.py reads OIDC_ISSUER once, at start-up; each test runs that file again with its own
environment and serves pages with the policy it built."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pytest

import satupintu

pytestmark = pytest.mark.django_db

SETTINGS_FILE = Path(satupintu.__file__).with_name("settings.py")


def settings_read_with(monkeypatch, settings, issuer: str | None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Run settings.py with OIDC_ISSUER as given (None: unset) and use what it builds."""
    if issuer is None:
        monkeypatch.delenv("OIDC_ISSUER", raising=False)
    else:
        monkeypatch.setenv("OIDC_ISSUER", issuer)
    built = runpy.run_path(str(SETTINGS_FILE))
    for name in ("OIDC_ISSUER", "SOCIALACCOUNT_PROVIDERS", "CONTENT_SECURITY_POLICY"):
        setattr(settings, name, built[name])
    return built


def form_action(response) -> list[str]:  # type: ignore[no-untyped-def]
    directives = [d.strip().split() for d in response["Content-Security-Policy"].split(";")]
    (sources,) = [d[1:] for d in directives if d and d[0] == "form-action"]
    return sources


def test_with_inapas_on_the_issuer_origin_may_receive_the_sign_in_form(client, settings, monkeypatch):  # type: ignore[no-untyped-def]
    settings_read_with(monkeypatch, settings, "https://inapas.example.go.id:8443/realms/warga/")
    login_page = client.get("/akun/login/")
    assert "/akun/oidc/inapas/login/" in login_page.content.decode()  # the INApas button is there
    # The origin only (scheme, host, port): not the path, and nothing else.
    assert form_action(login_page) == ["'self'", "https://inapas.example.go.id:8443"]
    continue_page = client.get("/akun/oidc/inapas/login/")  # the page with allauth's "Continue" form
    assert continue_page.status_code == 200 and 'method="post"' in continue_page.content.decode()
    assert form_action(continue_page) == ["'self'", "https://inapas.example.go.id:8443"]
    assert form_action(client.get("/")) == ["'self'", "https://inapas.example.go.id:8443"]


def test_the_issuer_origin_keeps_only_what_a_policy_may_hold(client, settings, monkeypatch):  # type: ignore[no-untyped-def]
    settings_read_with(monkeypatch, settings, "https://INApas.Example.go.id/realms/warga")
    assert form_action(client.get("/akun/login/")) == ["'self'", "https://inapas.example.go.id"]
    for odd in ("inapas.example.go.id", "javascript:alert(1)", "https://inapas.example.go.id;script-src */x",
                "https://inapas example/"):
        settings_read_with(monkeypatch, settings, odd)
        assert form_action(client.get("/akun/login/")) == ["'self'"], odd


def test_without_inapas_forms_post_to_this_site_only(client, settings, monkeypatch):  # type: ignore[no-untyped-def]
    built = settings_read_with(monkeypatch, settings, None)
    assert built["OIDC_ISSUER"] == ""
    assert form_action(client.get("/akun/login/")) == ["'self'"]
    assert form_action(client.get("/")) == ["'self'"]
