"""The ministry's other service applications (SIMKAH, SIHALAL, SISKOHAT...) as catalog
entries, the connectors that read a case's status from them, and the cases citizens follow.

Everything here is data an administrator edits in /admin/: adding an app or pointing a
connector at a new URL needs no code. Secrets are never stored: a connector names the
environment variable that holds its secret."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from satupintu.core import netguard
from satupintu.core.bilingual import local_list, local_text
from satupintu.organization.models import Office, Unit
from satupintu.services.models import Audience, Status

# What the citizen already told us that a link-out may carry, where the app accepts it.
PREFILL_FIELDS = ("name", "phone", "nik")


# A connector's secret comes from the environment, by name: only names made for it, or an editor
# of the catalog could send the server's own secrets (SECRET_KEY, DATABASE_URL) to any host.
SECRET_ENV_NAME = re.compile(r"BRIDGE_[A-Z0-9_]{1,73}")
SECRET_ENV_NAME_HINT = ("Nama variabel harus diawali BRIDGE_ (huruf besar, angka, garis bawah), "
                        "mis. BRIDGE_SIMKAH_TOKEN.")


def secret_may_travel(url: str) -> bool:
    """Whether a connector's secret (the token sent on every poll) may be sent to ``url``."""
    return netguard.https_or_configured_network(url)


class ExternalApp(models.Model):
    """Another application of the ministry, listed in our catalog next to our own services."""

    code = models.SlugField(max_length=40, unique=True, help_text="mis. simkah")
    name = models.CharField(max_length=200, help_text="mis. SIMKAH: Pendaftaran nikah")
    name_en = models.CharField(max_length=200, blank=True)
    short_name = models.CharField(max_length=40, help_text="Nama aplikasi yang ditampilkan, mis. SIMKAH")
    operator = models.CharField(max_length=200, blank=True, help_text="Pengelola, mis. Ditjen Bimas Islam")
    operator_en = models.CharField(max_length=200, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="external_apps")
    description = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.PUBLIC, db_index=True)
    who_for = models.CharField(max_length=300, blank=True, help_text="Untuk siapa, mis. calon pengantin")
    who_for_en = models.CharField(max_length=300, blank=True)
    requirements = models.JSONField(default=list, blank=True, help_text="Persyaratan, satu per baris")
    requirements_en = models.JSONField(default=list, blank=True,
                                       help_text="Persyaratan dalam bahasa Inggris, sebanyak persyaratan di atas")
    keywords = models.JSONField(default=list, blank=True)
    link_url = models.URLField(max_length=300, help_text="Alamat publik aplikasi (https://...)")
    # {our field: their query parameter}, only for fields the app is known to accept.
    prefill = models.JSONField(default=dict, blank=True,
                               help_text='Isian yang dibawa ke aplikasi, mis. {"nik": "nik"}; kosong bila tidak diterima')
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.CASCADE, related_name="external_apps",
                               help_text="Kosong: entri nasional")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("aplikasi lain")
        verbose_name_plural = _("aplikasi lain")

    # The catalog template tells our services and these entries apart by this.
    is_external = True

    @property
    def local_name(self) -> str:
        return local_text(self.name, self.name_en)

    @property
    def local_description(self) -> str:
        return local_text(self.description, self.description_en)

    @property
    def local_operator(self) -> str:
        return local_text(self.operator, self.operator_en)

    @property
    def local_who_for(self) -> str:
        return local_text(self.who_for, self.who_for_en)

    @property
    def local_requirements(self) -> list[str]:
        return local_list(self.requirements, self.requirements_en)

    def clean(self) -> None:
        if not isinstance(self.prefill, dict) or any(
            k not in PREFILL_FIELDS or not isinstance(v, str) or not v for k, v in self.prefill.items()
        ):
            raise ValidationError({"prefill": f"Hanya {', '.join(PREFILL_FIELDS)} -> nama parameter."})
        if not self.link_url.startswith("https://") and not self.link_url.startswith("http://"):
            raise ValidationError({"link_url": "Alamat harus http(s)."})

    def __str__(self) -> str:
        return self.short_name


class AuthKind(models.TextChoices):
    NONE = "none", _("Tanpa autentikasi")
    BEARER = "bearer", _("Bearer token")
    HEADER = "header", _("Header dengan kunci")


class Connector(models.Model):
    """How to read a case's status from an app: a generic REST connector configured as data."""

    app = models.OneToOneField(ExternalApp, on_delete=models.CASCADE, related_name="connector")
    kind = models.CharField(max_length=10, default="rest", editable=False)
    url_template = models.CharField(max_length=400,
                                    help_text="mis. https://simkah.example/api/status/{reference}")
    auth_kind = models.CharField(max_length=10, choices=AuthKind.choices, default=AuthKind.NONE)
    auth_header = models.CharField(max_length=60, blank=True, help_text="Nama header untuk jenis 'header'")
    secret_env = models.CharField(max_length=80, blank=True,
                                  help_text="Nama variabel lingkungan yang berisi rahasia (bukan rahasianya) yang "
                                            "dikirim ke aplikasi saat menanyakan status (token bearer atau kunci "
                                            "header), diawali BRIDGE_, mis. BRIDGE_SIMKAH_TOKEN")
    # Pushes are verified with a key of their own: the poll token is seen by the app, its logs and any
    # proxy on the way, and whoever holds it must not be able to sign a status (a final one sticks).
    push_secret_env = models.CharField(max_length=80, blank=True,
                                       help_text="Nama variabel lingkungan yang berisi kunci HMAC yang dipakai "
                                                 "aplikasi untuk menandatangani kabar status (push) ke sini, bukan "
                                                 "token yang dikirim ke aplikasi; diawali BRIDGE_, mis. "
                                                 "BRIDGE_SIMKAH_PUSH_KEY. Kosong: kabar status ditolak.")
    state_path = models.CharField(max_length=120, default="status", help_text="Jalur JSON status, mis. data.status")
    label_path = models.CharField(max_length=120, blank=True, help_text="Jalur JSON keterangan status (opsional)")
    updated_path = models.CharField(max_length=120, blank=True, help_text="Jalur JSON waktu pembaruan (opsional)")
    # {their state: one of services.models.Status}
    state_map = models.JSONField(default=dict)
    poll_minutes = models.PositiveIntegerField(default=60)
    timeout_seconds = models.FloatField(default=10)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("konektor")
        verbose_name_plural = _("konektor")

    def clean(self) -> None:
        if "{reference}" not in self.url_template:
            raise ValidationError({"url_template": "Alamat harus memuat {reference}."})
        if not isinstance(self.state_map, dict) or any(v not in Status.values for v in self.state_map.values()):
            raise ValidationError({"state_map": f"Nilai harus salah satu dari: {', '.join(Status.values)}."})
        if self.auth_kind != AuthKind.NONE and not self.secret_env:
            raise ValidationError({"secret_env": "Wajib untuk autentikasi."})
        if self.secret_env and not SECRET_ENV_NAME.fullmatch(self.secret_env):
            raise ValidationError({"secret_env": SECRET_ENV_NAME_HINT})
        if self.push_secret_env and not SECRET_ENV_NAME.fullmatch(self.push_secret_env):
            raise ValidationError({"push_secret_env": SECRET_ENV_NAME_HINT})
        if self.push_secret_env and self.push_secret_env == self.secret_env:
            raise ValidationError({"push_secret_env": "Rahasia dorongan harus berbeda dari rahasia penarikan."})
        if self.auth_kind == AuthKind.HEADER and not self.auth_header:
            raise ValidationError({"auth_header": "Wajib untuk jenis 'header'."})
        if not 0.5 <= self.timeout_seconds <= 60:
            raise ValidationError({"timeout_seconds": "Antara 0,5 dan 60 detik."})
        if self.auth_kind != AuthKind.NONE and not secret_may_travel(self.url_template.replace("{reference}", "x")):
            raise ValidationError({"url_template": "Alamat harus https karena konektor mengirim rahasia: token "
                                                   "tidak boleh melintas tanpa enkripsi (http hanya ke jaringan yang "
                                                   "diizinkan OUTBOUND_ALLOWED_NETWORKS)."})

    def __str__(self) -> str:
        return f"{self.app.short_name}: {self.url_template}"


class ExternalCase(models.Model):
    """A case in another app (nikah registration, haji portion...) a citizen follows here."""

    app = models.ForeignKey(ExternalApp, on_delete=models.CASCADE, related_name="cases")
    reference = models.CharField(max_length=64)
    phone = models.CharField(max_length=20, help_text="E.164 nomor yang mendaftarkan")
    last_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    last_label = models.CharField(max_length=200, blank=True, help_text="Status seperti ditulis aplikasinya")
    their_updated_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)
    next_check_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        unique_together = [("app", "reference", "phone")]
        verbose_name = _("kasus di aplikasi lain")
        verbose_name_plural = _("kasus di aplikasi lain")

    def __str__(self) -> str:
        return f"{self.app.short_name} {self.reference}"


class SeenPush(models.Model):
    """A push we took, by its signature, kept a little longer than a signature stays valid: the same
    push sent again inside the window is a replay and refused (cases.case_push). In the database, not
    the cache: with Redis away a cache would either let replays through or refuse every push."""

    signature = models.CharField(max_length=64, unique=True)  # hex HMAC-SHA256 (binds timestamp, reference, body)
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.signature[:12]
