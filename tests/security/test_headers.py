"""Browser-enforced headers: a Content-Security-Policy with no inline script, a
Permissions-Policy, and the headers that were there before, on public and staff pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

TEMPLATES = Path(__file__).resolve().parents[2] / "satupintu" / "templates"


def _directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/layanan/", "/lacak/", "/pengaduan/", "/masuk/", "/api/v1/docs"])
def test_public_pages_send_csp_and_permissions_policy(path):
    r = Client().get(path)
    assert r.status_code == 200
    csp = _directives(r["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no other origin
    assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["style-src"]
    policy = r["Permissions-Policy"]
    assert "geolocation=(self)" in policy and "camera=()" in policy and "microphone=()" in policy
    # the headers that were there before stay
    assert r["X-Frame-Options"] == "DENY"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"


def test_staff_pages_send_csp(people):
    c = Client()
    c.force_login(people.fo_lutra)
    for path in ("/petugas/", "/situasi/", "/rakor/"):
        r = c.get(path, follow=True)
        assert r.status_code == 200, path
        assert _directives(r["Content-Security-Policy"])["script-src"] == ["'self'"]
        assert "Permissions-Policy" in r


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def test_no_template_has_inline_script_or_handler():
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for n, line in enumerate(text.splitlines(), 1):
            if INLINE_SCRIPT.search(line) or HANDLER.search(line) or "javascript:" in line.lower():
                offenders.append(f"{path.relative_to(TEMPLATES)}:{n}: {line.strip()[:80]}")
    assert not offenders, "\n".join(offenders)


def _kept_by_no_cache(response) -> bool:  # type: ignore[no-untyped-def]
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_what_a_signed_in_officer_sees_is_kept_by_no_cache(people, submit):
    """ASVS 8.2.1: an applicant's ID card, a queue of names, opened on a shared desk PC."""
    app = submit()
    document = app.documents.first()
    c = Client()
    c.force_login(people.fo_lutra)
    for path in ("/petugas/", f"/petugas/permohonan/{app.tracking_code}/",
                 f"/petugas/permohonan/{app.tracking_code}/berkas/{document.pk}/"):
        r = c.get(path)
        assert r.status_code == 200, path
        assert _kept_by_no_cache(r), (path, r.get("Cache-Control"))
    # A view's own choice stands (the field app's service worker is revalidated, not forbidden).
    assert c.get("/lapangan/sw.js")["Cache-Control"] == "no-cache"
    # Public pages keep their caching, and static files never see it.
    assert "Cache-Control" not in Client().get("/layanan/")


def test_a_tracking_page_opened_with_the_phone_proof_is_kept_by_no_cache(submit):
    from tests.conftest import VALID_PHONE

    app = submit()
    c = Client()
    assert c.post(f"/lacak/{app.tracking_code}/", {"phone_last4": VALID_PHONE[-4:]}).status_code == 302
    for path in (f"/lacak/{app.tracking_code}/", f"/lacak/{app.tracking_code}/bukti.pdf"):
        r = c.get(path)
        assert r.status_code == 200 and _kept_by_no_cache(r), (path, r.get("Cache-Control"))
