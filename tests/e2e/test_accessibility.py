"""Accessibility of the product's pages on the demo, at phone size, with axe-core (Deque's engine,
through axe-playwright-python): no violation of WCAG 2.1 A and AA rules that a machine can check
(labels, names, contrast, landmarks, ARIA, nesting) on the public pages and the pages of each kind
of staff, and no page wider than the phone (WCAG 1.4.10 Reflow, which axe does not check: a long
e-mail address once widened the service page). What a machine cannot judge (is the label clear?) stays with people; this keeps the rest
from coming back."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.conftest import use_whatsapp_simulator

# "once": what it checks is the pages' markup, which does not change with the database; the other
# page tests render the same pages on PostgreSQL. It is the suite's longest test (50 s of CPU).
pytestmark = [pytest.mark.browser, pytest.mark.once,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DEMO_PASSWORD = "satupintu-demo"
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
         "resultTypes": ["violations"]}
PUBLIC = ("/", "/layanan/", "/layanan/legalisir-ijazah-madrasah/", "/layanan/legalisir-ijazah-madrasah/?office=73.22",
          "/layanan/legalisir-ijazah-madrasah/ajukan/?office=73.22",
          "/lacak/", "/pengaduan/", "/aspirasi/", "/kantor/", "/kantor/73.22/ikm/", "/ngopas/", "/masuk/", "/akun/login/",
          "/akun/signup/", "/daftar/", "/verifikasi/", "/wa-simulator/",
          "/layanan/legalisir-ijazah-madrasah/ajukan/?office=99.99")  # back on the service page with a message
# Forms sent empty: the error summary and the fields' messages.
SENT_EMPTY = ("/layanan/legalisir-ijazah-madrasah/ajukan/?office=73.22", "/pengaduan/", "/lacak/")
# One account per kind of work, each on the pages of its job.
STAFF = {
    "kakan.lutra": ("/petugas/", "/petugas/dokumen/", "/petugas/pengaduan/", "/petugas/skm/", "/petugas/kantor/",
                    "/rakor/", "/rakor/baru/", "/rakor/papan/", "/zona-integritas/73.22/", "/petugas/wa/",
                    "/akun/keamanan/", "/petugas/bantu/", "/petugas/ngopas/", "/petugas/lapangan/",
                    "/petugas/dokumen/penandatangan/"),
    "kakanwil.sulsel": ("/situasi/", "/situasi/?provinsi=73", "/situasi/?provinsi=73&ukuran=zona",
                        "/situasi/tanggapan/", "/situasi/kewaspadaan/", "/situasi/kewaspadaan/73/",
                        "/situasi/peringatan/", "/situasi/langganan/",
                        "/humas/?bulan=2026-11", "/humas/peringkat/?bulan=2026-11&kanwil=73", "/situasi/sumber/"),
    "penyuluh.lutra": ("/lapangan/",),
    "kasi.pendma.lutra": ("/terobosan/",),
}


def _sign_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/masuk/"))  # each lands where its work is


# One record of each kind, reached from its list by the first link like each pattern in turn (the
# demo's codes are random and PostgreSQL's ids do not start at 1 for each test).
DETAILS = {
    "kakan.lutra": (("/petugas/", r"^/petugas/permohonan/[^/]+/$"), ("/petugas/dokumen/", r"^/petugas/dokumen/\d+/$"),
                    ("/petugas/pengaduan/", r"^/petugas/pengaduan/[^/]+/$"), ("/rakor/", r"^/rakor/\d+/$"),
                    ("/petugas/wa/", r"^/petugas/wa/\d+/$"), ("/rakor/papan/", r"^/rakor/tindak-lanjut/\d+/$"),
                    ("/petugas/lapangan/", r"^/petugas/lapangan/\d+/$")),
    "kakanwil.sulsel": (("/situasi/", r"^/situasi/isu/\d+/$"), ("/situasi/tanggapan/", r"^/situasi/tanggapan/\d+/$"),
                        ("/rakor/", r"^/rakor/\d+/$", r"^/rakor/keputusan/\d+/$")),
    "kasi.pendma.lutra": (("/terobosan/", r"^/terobosan/\d+/$"),),
}


def _violations(page, path: str, axe: Axe, *, loaded: bool = False) -> list[str]:  # type: ignore[no-untyped-def]
    if not loaded:
        response = page.goto(path)
        assert response is not None and response.status == 200, (path, response and response.status)
    found = axe.run(page, options=RULES).response["violations"]
    problems = [f"{path}: {v['id']} ({v['impact']}) at {v['nodes'][0]['target']}: {v['help']}" for v in found]
    wider = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if wider > 1:
        problems.append(f"{path}: {wider}px wider than the phone (reflow, WCAG 1.4.10)")
    return problems


def _first_link(page, path: str, pattern: str) -> str:  # type: ignore[no-untyped-def]
    page.goto(path)
    hrefs = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.getAttribute('href'))")
    found = next((h for h in hrefs if re.search(pattern, h)), None)
    assert found, f"no link like {pattern} on {path}"
    return found


def _sent_empty(page, path: str, axe: Axe) -> list[str]:  # type: ignore[no-untyped-def]
    page.goto(path)
    page.locator("main form button:visible").last.click()
    expect(page.locator("#error-summary, .error").first).to_be_visible()
    return _violations(page, f"{path} (sent empty)", axe, loaded=True)


def test_the_demo_pages_pass_axe_at_phone_size(new_context, settings, live_server):  # type: ignore[no-untyped-def]
    from satupintu.demo import load_demo

    use_whatsapp_simulator(settings, live_server.url)  # as on the embedded default the demo runs on
    load_demo()
    axe = Axe()
    page = new_context("phone").new_page()
    problems = [p for path in PUBLIC for p in _violations(page, path, axe)]
    problems += [p for path in SENT_EMPTY for p in _sent_empty(page, path, axe)]
    for username, paths in STAFF.items():
        page = new_context("phone").new_page()
        _sign_in(page, username)
        problems += [p for path in paths for p in _violations(page, path, axe)]
        for listed, *patterns in DETAILS.get(username, ()):
            for pattern in patterns:
                listed = _first_link(page, listed, pattern)
            problems += _violations(page, listed, axe)
    assert not problems, "\n".join(problems)
