"""INApas sign-in in real Chromium, against the tests' OpenID Provider (tests/accounts/
oidc_provider.py, on its own https port): /akun/login/ -> the INApas button -> allauth's
"Continue" form -> its redirect to the provider's authorize page (another origin) -> back to our
callback -> signed in at /akun/. Chromium checks the Content-Security-Policy's form-action on the
form's redirect: the policy settings.py builds with OIDC_ISSUER set must let it through."""

from __future__ import annotations

import copy
import re

import pytest
from allauth.socialaccount.models import SocialAccount
from django.conf import settings as django_settings
from playwright.sync_api import expect

from tests.accounts.oidc_provider import CITIZEN, CLIENT_ID, CLIENT_SECRET, local_op
from tests.e2e.conftest import DESKTOP
from tests.web.test_csp_form_action import settings_read_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_citizen_signs_in_with_inapas_in_chromium(browser, live_server, settings, monkeypatch):  # type: ignore[no-untyped-def]
    with local_op(redirect_uri=f"{live_server.url}/akun/oidc/inapas/login/callback/") as op:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", op.ca_file)  # our server trusts the provider's certificate
        settings_read_with(monkeypatch, settings, op.url)  # the policy as production builds it
        providers = copy.deepcopy(django_settings.SOCIALACCOUNT_PROVIDERS)
        providers["openid_connect"]["APPS"][0].update({"client_id": CLIENT_ID, "secret": CLIENT_SECRET})
        settings.SOCIALACCOUNT_PROVIDERS = providers

        # The browser does not know the provider's made-up certificate; the policy is the same.
        context = browser.new_context(base_url=live_server.url, ignore_https_errors=True, **DESKTOP)
        context.set_default_timeout(10_000)
        try:
            page = context.new_page()
            refused: list[str] = []
            page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
            page.goto("/akun/login/")
            page.get_by_role("link", name=re.compile("INApas")).click()
            expect(page).to_have_url(re.compile(r"/akun/oidc/inapas/login/"))
            page.locator("main form[method=post] button[type=submit]").click()  # allauth's "Continue"
            expect(page).to_have_url(re.compile(r"/akun/$"))
            assert not refused, refused
            assert len(op.auth_requests) == 1 and len(op.token_requests) == 1
            expect(page.get_by_role("button", name="Keluar")).to_be_visible()  # signed in
            assert SocialAccount.objects.get(provider="inapas").uid == CITIZEN["sub"]
        finally:
            context.close()
