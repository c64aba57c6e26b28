"""WhatsApp Layanan in real Chromium, through the demo's simulator: the phone page posts signed
webhooks to the real webhook over HTTP, the bot's answers go out through the outbox and the
Graph API client to the stand-in, and the page shows them.

A citizen says "halo", gets the status of their application, files a complaint with a photo,
answers the survey after completion, and asks for a person; an officer answers from the inbox.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from satupintu.feedback.models import Report, SurveyResponse
from satupintu.services.applications import application_upload_product
from satupintu.services.workflow import application_transition
from tests.conftest import png_bytes, upload
from tests.e2e.conftest import login, use_whatsapp_simulator
from tests.e2e.shots import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
OWNER = "6281234567890"


@pytest.fixture
def simulator(settings, live_server):  # type: ignore[no-untyped-def]
    use_whatsapp_simulator(settings, live_server.url)
    return live_server


def say(page: Page, text: str) -> None:
    page.get_by_label("Pesan").fill(text)
    page.get_by_role("button", name="Kirim", exact=True).click()


def choose(page: Page, title: str) -> None:
    """Press a button of the bot's newest message."""
    page.locator("#wa-chat .bubble.in").last.get_by_role("button", name=title).click()


def test_a_citizen_on_the_simulator_and_an_officer_in_the_inbox(simulator, submit, people, new_context, artifacts):
    app = submit()
    phone = new_context("phone").new_page()
    phone.goto(f"/wa-simulator/?nomor={OWNER}")
    chat = phone.locator("#wa-chat")

    say(phone, "halo")
    expect(chat).to_contain_text("1. Lacak permohonan")
    say(phone, app.tracking_code.lower().replace("-", " "))
    expect(chat).to_contain_text(f"Permohonan {app.tracking_code}")
    expect(chat).to_contain_text("Status: Diajukan")

    # A complaint with a photo. Each step waits for the bot's question: the phone's messages are
    # posted from threads, so a step sent early could overtake the previous one.
    say(phone, "3")
    expect(chat.locator(".bubble.in").last).to_contain_text("Apa yang ingin Anda sampaikan?")
    choose(phone, "Pengaduan")
    expect(chat.locator(".bubble.in").last).to_contain_text("Pilih kategori")
    choose(phone, "Kualitas layanan")
    expect(chat.locator(".bubble.in").last).to_contain_text("Kantor mana")
    say(phone, "Luwu Utara")
    expect(chat).to_contain_text("Tuliskan laporan Anda")
    say(phone, "Antrean loket PTSP tidak bergerak selama dua jam dan tidak ada petugas di meja.")
    expect(chat).to_contain_text("Kirim foto atau dokumen")
    phone.locator("#wa-file").set_input_files(files=[{"name": "antrean.png", "mimeType": "image/png",
                                                       "buffer": png_bytes()}])
    expect(chat).to_contain_text("1 berkas diterima")
    choose(phone, "Selesai")
    expect(chat.locator(".bubble.in").last).to_contain_text("Rahasiakan identitas")
    choose(phone, "Rahasiakan")
    # Read back before it is filed: nothing is sent on the last answer.
    expect(chat.locator(".bubble.in").last).to_contain_text("Periksa laporan Anda sebelum dikirim")
    expect(chat.locator(".bubble.in").last).to_contain_text("Berkas: 1 · Identitas: dirahasiakan")
    assert not Report.objects.exists()
    choose(phone, "Kirim laporan")
    expect(chat).to_contain_text("Kode lacak:")
    report = Report.objects.get()
    assert report.anonymous and report.attachments.count() == 1
    assert report.tracking_code in chat.inner_text()

    # The survey after completion, with the list buttons.
    app = application_transition(app, "verify", user=people.fo_lutra)
    app = application_transition(app, "process", user=people.pendma_lutra)
    application_upload_product(app, user=people.pendma_lutra, upload=upload("surat.pdf"))
    app = application_transition(app, "complete", user=people.pendma_lutra)
    say(phone, app.tracking_code)
    expect(chat).to_contain_text("Status: Selesai")
    choose(phone, "Isi survei")
    for number in range(1, 10):
        expect(chat.locator(".bubble.in").last).to_contain_text(f"{number}/9.")
        phone.locator("#wa-chat .bubble.in").last.get_by_role("button").nth(3).click()  # the best answer
    expect(chat).to_contain_text("Terima kasih!")
    assert SurveyResponse.objects.get(application=app).verified

    # A person: the officer answers from the inbox; the phone shows the answer.
    say(phone, "bicara dengan petugas")
    expect(chat).to_contain_text("Luwu Utara")
    shot(phone, path=str(artifacts / "whatsapp-simulator.png"), full_page=True)
    officer = new_context("phone").new_page()
    login(officer, "fo.lutra")
    officer.goto("/petugas/wa/")
    officer.get_by_role("link", name="Warga").first.click()
    expect(officer.locator(".chat")).to_contain_text("bicara dengan petugas")
    officer.get_by_label("Balasan").fill("Selamat siang, laporan Anda sudah kami terima. Ada yang bisa dibantu?")
    officer.get_by_role("button", name="Kirim", exact=True).click()
    expect(officer.locator(".chat")).to_contain_text("Ada yang bisa dibantu?")
    shot(officer, path=str(artifacts / "whatsapp-inbox.png"), full_page=True)
    expect(chat).to_contain_text("Ada yang bisa dibantu?", timeout=15_000)
    # the phone showed it: the read receipt reaches the officer's timeline
    officer.reload()
    expect(officer.locator(".chat .delivery").last).to_have_text(re.compile("Dibaca|Sampai"))
