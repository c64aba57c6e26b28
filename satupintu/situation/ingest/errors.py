"""The one error type of ingestion: a stable message id plus the Indonesian text officers see.

The id lets code decide (retry? defer? count as failure?) without parsing text; the message
is stored in `Source.last_error` and `FetchLog.error` and shown as is.
"""

from __future__ import annotations

from satupintu.core.netguard import NEUTRAL_MESSAGE

# A refused address (core/netguard.py), a closed port, a timeout and a dropped connection read
# the same: a source's error row must not tell an officer (or an attacker) which intranet ports
# are open. The ids stay apart for the code (retry decisions); the server log has the detail.
UNREACHABLE = ("timeout", "connect", "network")
_UNREACHABLE_MESSAGE = f"Gagal mengambil: {NEUTRAL_MESSAGE.lower()}"

# Short reasons, reused inside longer messages (e.g. why robots.txt could not be read).
REASONS = {
    "tls": "sertifikat TLS server tidak sah",
}

MESSAGES = {
    "timeout": _UNREACHABLE_MESSAGE,
    "connect": _UNREACHABLE_MESSAGE,
    "tls": "Gagal mengambil: sertifikat TLS server tidak sah",
    "network": _UNREACHABLE_MESSAGE,
    "bad_url": "Alamat sumber tidak valid: {detail}",
    "http_status": "Server menjawab {status}",
    "too_large": "Gagal mengambil: isi lebih besar dari batas {detail}",
    "too_many_redirects": "Gagal mengambil: terlalu banyak pengalihan (redirect)",
    "robots_disallowed": "Diblokir robots.txt",
    "robots_unavailable": "robots.txt tidak dapat dibaca ({detail}); pengambilan ditunda",
    "host_busy": "Ditunda: menunggu jeda antarpermintaan ke server ini",
    "bad_content": "Isi tidak dapat dibaca: {detail}",
    "not_a_feed": "Isi alamat ini bukan umpan RSS/Atom",
    "malformed_feed": "Umpan RSS/Atom rusak dan tidak berisi entri",
    "no_article": "Teks artikel tidak ditemukan di halaman",
    "unsupported_kind": "Sumber jenis ini tidak diambil otomatis",
    "unexpected": "Galat tak terduga saat memproses sumber",
}


MAX_RETRY_AFTER = 7 * 24 * 3600  # a bogus Retry-After or Crawl-delay must not silence a source for years


class FetchError(Exception):
    """Why a source could not be read. `retry_after` (seconds) is the server's own wish."""

    def __init__(self, message_id: str, *, status: int | None = None, retry_after: int | None = None,
                 detail: str = ""):
        if message_id not in MESSAGES:
            raise ValueError(f"unknown fetch message id {message_id!r}")
        self.message_id = message_id
        self.status = status
        # Capped here, whatever asked for it: a wait of 10^14 s also overflowed timedelta (a crash
        # of the whole fetch round, not one failed source).
        self.retry_after = None if retry_after is None else min(retry_after, MAX_RETRY_AFTER)
        self.detail = detail
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return MESSAGES[self.message_id].format(status=self.status, detail=self.detail)

    @property
    def reason(self) -> str:
        """A short lower-case reason, to be quoted inside another message."""
        if self.message_id == "http_status":
            return f"server menjawab {self.status}"
        return REASONS.get(self.message_id, self.message)

    def __str__(self) -> str:
        return self.message
