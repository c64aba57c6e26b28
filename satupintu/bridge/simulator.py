"""The demo's bridge simulator: a stand-in of SIMKAH's status API served by this server
(/bridge-simulator/simkah/api/status/<reference>), a demo connector pointing at it and a demo
case of the demo phone, so a newcomer sees a case in another app beside their applications on
Beranda saya, and see it move: the scheduler's poll asks the stand-in over real HTTP, through the
outbound guard (core/netguard.py lets this server's own loopback port through while
BRIDGE_SIMULATOR is on, which it is only on the embedded default).

The stand-in plays an app we do not control: it knows nothing of our database. A reference of
the form NK-nnnn-nnnn is a registration; its state moves with the time since the stand-in was
first asked about it (kept in the cache, shared by the web and the worker)."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from satupintu.bridge.connectors import status_from_document
from satupintu.bridge.models import AuthKind, Connector, ExternalApp, ExternalCase
from satupintu.services import identity

PATH = "/bridge-simulator/simkah/api/status/"
REFERENCE = re.compile(r"NK-\d{4}-\d{4}")
# (minutes after the first question, their state, their words): the journey of a registration.
JOURNEY = [
    (0, "TERDAFTAR", "Pendaftaran nikah diterima KUA Masamba"),
    (5, "VERIFIKASI", "Berkas sedang diperiksa petugas KUA"),
    (15, "PERBAIKAN", "Pas foto 4x6 berlatar biru belum diunggah"),
    (30, "DIPROSES", "Berkas lengkap; jadwal akad ditetapkan"),
    (120, "SELESAI", "Akad nikah tercatat; buku nikah dapat diambil di KUA"),
]
STATE_MAP = {"TERDAFTAR": "submitted", "VERIFIKASI": "verified", "PERBAIKAN": "needs_completion",
             "DIPROSES": "in_process", "SELESAI": "completed", "DITOLAK": "rejected"}
DEMO_PHONE = "081234560001"  # Andi Rahmawati, the first demo applicant (satupintu/demo.py)
DEMO_REFERENCE = "NK-7322-0001"


def document(reference: str, now: float | None = None) -> dict[str, dict[str, str]] | None:
    """The stand-in's answer for ``reference`` (None: it does not know it)."""
    if not REFERENCE.fullmatch(reference):
        return None
    now = time.time() if now is None else now
    key = f"bridge-simulator:{reference}"
    cache.add(key, now, timeout=None)  # the first question starts the journey
    started = float(cache.get(key) or now)
    minutes = (now - started) / 60
    at, state, label = [step for step in JOURNEY if step[0] <= minutes][-1]
    updated = datetime.fromtimestamp(started, tz=UTC) + timedelta(minutes=at)
    return {"data": {"nomor": reference, "status": state, "keterangan": label, "diperbarui": updated.isoformat()}}


@require_GET
def status(request: HttpRequest, reference: str) -> JsonResponse:
    if not settings.BRIDGE_SIMULATOR:
        raise Http404("simulator off")
    body = document(reference)
    if body is None:
        return JsonResponse({"error": "nomor tidak ditemukan"}, status=404)
    return JsonResponse(body)


def demo_url() -> str:
    return settings.SITE_URL + PATH + "{reference}"


def load_bridge_demo() -> str:
    """The demo connector for SIMKAH and the demo phone's case in it (idempotent). Leaves a
    connector an administrator pointed elsewhere alone."""
    if not settings.BRIDGE_SIMULATOR:
        return ""
    app = ExternalApp.objects.filter(code="simkah").first()
    if app is None:
        return ""
    connector = Connector.objects.filter(app=app).first()
    if connector is not None and PATH not in connector.url_template:
        return ""
    connector = connector or Connector(app=app)
    # Again on every run: `satupintu run --bind` elsewhere changes SITE_URL.
    connector.url_template, connector.auth_kind, connector.is_active = demo_url(), AuthKind.NONE, True
    connector.state_path, connector.label_path, connector.updated_path = "data.status", "data.keterangan", \
        "data.diperbarui"
    connector.state_map, connector.poll_minutes, connector.timeout_seconds = STATE_MAP, 5, 5
    connector.full_clean()
    connector.save()
    phone = identity.clean_phone(DEMO_PHONE)
    case = ExternalCase.objects.filter(app=app, reference=DEMO_REFERENCE, phone=phone).first()
    if case is None:
        # The server is not running while the demo loads: the first answer is read in-process
        # from the stand-in; the scheduler's poll asks it over HTTP from then on.
        now = timezone.now()
        answer = document(DEMO_REFERENCE, now.timestamp())
        assert answer is not None
        result = status_from_document(connector, answer)
        ExternalCase.objects.create(app=app, reference=DEMO_REFERENCE, phone=phone, last_status=result.status,
                                    last_label=result.label, their_updated_at=result.updated_at, checked_at=now,
                                    next_check_at=now + timedelta(minutes=connector.poll_minutes))
    return f" Jembatan: kasus {app.short_name} {DEMO_REFERENCE} untuk {DEMO_PHONE} (berubah status tiap beberapa menit)."
