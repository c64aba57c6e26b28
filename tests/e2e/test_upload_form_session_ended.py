"""An upload form (forms.js sends it itself, to show progress) when the session has ended, in
real Chromium: the server sends the post on to the sign-in page, and the browser goes there, at
its own address, instead of showing the sign-in form under the form's address (where signing in
would post the credentials to the form's URL)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from satupintu.services.models import Application
from tests.e2e.conftest import PASSWORD, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FORM = "/petugas/bantu/?office=73.22&layanan=legalisir-ijazah-madrasah"


def test_a_post_sent_on_to_the_sign_in_page_goes_there(people, new_context):  # type: ignore[no-untyped-def]
    context = new_context("desktop")
    page = context.new_page()
    login(page, people.fo_lutra.username)
    page.goto(FORM)
    expect(page.get_by_role("button", name="Kirim atas nama warga")).to_be_visible()
    uploads: list[str | None] = []
    page.on("request", lambda r: uploads.append(r.headers.get("x-form-upload")) if r.method == "POST" else None)

    context.clear_cookies(name="sessionid")  # the session ended while the form was open
    page.get_by_role("button", name="Kirim atas nama warga").click()
    expect(page).to_have_url(re.compile(r"/masuk/\?next="))
    assert uploads == ["1"]  # sent by forms.js, not by the browser's own form post

    # Signing in there posts to the sign-in page (not to the form's address) and leads back to
    # the desk's assisted mode; nothing was filed on the way.
    page.get_by_label("Nama pengguna").fill(people.fo_lutra.username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    with page.expect_request(lambda r: r.method == "POST") as signing_in:
        page.get_by_role("button", name="Masuk", exact=True).click()
    assert "/masuk/" in signing_in.value.url
    expect(page).to_have_url(re.compile(r"/petugas/bantu/"))
    assert Application.objects.count() == 0
