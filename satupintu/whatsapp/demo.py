"""Demo conversations, so the officers' inbox is not empty on a fresh demo: a citizen who asked
for a person about her application (waiting), one already answered by the front office, one
the bot handled alone. They go through the real receiving code (the bot answers them); the
answers wait in the outbox for `satupintu run`, which sends them to the simulator's stand-in."""

from __future__ import annotations

import time
import uuid
from typing import Any

from satupintu.services.models import Application
from satupintu.whatsapp import conversations, inbound, outbound
from satupintu.whatsapp.models import CannedAnswer, Conversation

CANNED = [
    ("Jam layanan", "Loket PTSP buka Senin–Kamis 08.00–16.00 WITA dan Jumat 08.00–16.30 WITA."),
    ("Cek status", "Ketik kode lacak permohonan Anda (contoh ABCDE-FGH23) untuk melihat statusnya."),
]


def _say(number: Any, wa_id: str, name: str, text: str) -> None:
    inbound.receive(number, {"from": wa_id, "id": f"wamid.demo.{uuid.uuid4().hex}", "timestamp": str(int(time.time())), "type": "text",
                             "text": {"body": text}}, profile_name=name)


def load_whatsapp_demo(users: dict[str, Any]) -> str:
    number = outbound.national_number()
    if number is None or Conversation.objects.exists():
        return ""
    from satupintu.organization.models import Office

    lutra = Office.objects.get(code="73.22")
    for title, text in CANNED:
        CannedAnswer.objects.get_or_create(office=lutra, title=title, defaults={"text": text})
    apps = list(Application.objects.filter(office=lutra, submission_key__startswith="demo:").order_by("pk")[:2])
    if len(apps) < 2:
        return ""
    for app, name, question in ((apps[0], "Andi", "Assalamualaikum, kapan legalisir ijazah saya selesai?"),
                                (apps[1], "Ilham", "Apakah duplikat ijazah bisa diambil oleh orang tua?")):
        wa_id = app.phone.lstrip("+")
        _say(number, wa_id, name, question)
        _say(number, wa_id, name, app.tracking_code)
        _say(number, wa_id, name, "bicara dengan petugas")
    answered = Conversation.objects.get(wa_id=apps[1].phone.lstrip("+"))
    conversations.reply(answered, user=users["fo.lutra"], text="Bisa, Pak, dengan membawa surat kuasa dan KTP "
                                                                 "pemohon. Kami tunggu di loket PTSP.")
    _say(number, "6285298765432", "Warga", "apa syarat pendaftaran haji reguler?")
    return f" WhatsApp: {Conversation.objects.count()} percakapan demo (buka /wa-simulator/ dan /petugas/wa/)."
