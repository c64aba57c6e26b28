"""Over HTTPS (SECURE_COOKIES) the session cookie is a "__Host-" cookie (ASVS 3.4.4): a browser
takes it only from this host, Secure and for the whole site, so a site under the same parent
domain can neither plant nor overwrite it. The embedded demo (plain HTTP) keeps its usual name."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

SCRIPT = ("import json, django; django.setup(); from django.conf import settings as s;"
          "print(json.dumps([s.SESSION_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_DOMAIN,"
          " s.SESSION_COOKIE_PATH]))")


@pytest.mark.parametrize("secure, name", [("true", "__Host-sessionid"), ("", "sessionid")])
def test_the_session_cookie_is_a_host_cookie_over_https(tmp_path, secure, name):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECURE_COOKIES")}
    env.update(SATUPINTU_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="satupintu.settings")
    if secure:
        env["SECURE_COOKIES"] = secure
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120,
                          check=True)
    cookie_name, is_secure, domain, path = json.loads(done.stdout.strip().splitlines()[-1])
    assert cookie_name == name and is_secure == bool(secure)
    # What the prefix asks of the cookie, or browsers drop it: no Domain, Path=/.
    assert domain is None and path == "/"


def test_signing_in_over_https_sets_the_host_cookie_as_browsers_require(db, settings):
    settings.SESSION_COOKIE_NAME, settings.SESSION_COOKIE_SECURE = "__Host-sessionid", True
    get_user_model().objects.create_user("petugas.uji", "p@uji.id", "sandi-uji-123")
    client = Client()
    response = client.post("/masuk/", {"username": "petugas.uji", "password": "sandi-uji-123"}, secure=True)
    assert response.status_code == 302, response.content
    cookie = response.cookies["__Host-sessionid"]
    assert cookie["secure"] and cookie["path"] == "/" and not cookie["domain"]
    assert "sessionid" not in response.cookies
