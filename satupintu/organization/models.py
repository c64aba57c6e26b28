"""Offices, units (Tusi), staff roles and the days off that the working calendar needs."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from satupintu.core.bilingual import local_text


class Level(models.TextChoices):
    PUSAT = "pusat", _("Kemenag Pusat")
    KANWIL = "kanwil", _("Kanwil")
    KANKEMENAG = "kankemenag", _("Kankemenag")


class Office(models.Model):
    """An office, known by its stable code: ``pusat``, ``73`` (Kanwil) or ``73.22``."""

    code = models.CharField(max_length=10, unique=True)
    level = models.CharField(max_length=12, choices=Level.choices, db_index=True)
    name = models.CharField(max_length=200)
    region_name = models.CharField(max_length=120, help_text="Nama provinsi atau kabupaten/kota")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    province_code = models.CharField(max_length=2, blank=True, db_index=True)
    timezone = models.CharField(max_length=40, default="Asia/Jakarta")
    address = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # E.164 (+62...), for a "chat on WhatsApp" link on the office page.
    whatsapp = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    # As people say it ("Senin-Kamis 08.00-16.00, Jumat 08.00-16.30"); opens_at/closes_at
    # stay the SLA clock's hours.
    opening_hours_text = models.CharField(max_length=200, blank=True)
    # Where the desk is, for the marker on the office page's map (WGS 84).
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    opens_at = models.TimeField(default=time(8, 0))
    closes_at = models.TimeField(default=time(16, 0))
    # ISO weekdays the desk is open, Monday=1 ... Sunday=7, e.g. "12345".
    working_weekdays = models.CharField(max_length=7, default="12345")
    # A regency split or joined (pemekaran, penggabungan): the office kept for history, its work
    # now done by this one. New work (a Situation Room response case) is refused on it.
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_from", verbose_name=_("digabung ke"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("kantor")
        verbose_name_plural = _("kantor")

    def successor(self) -> Office:
        """The office that does this one's work now: itself, or the end of its ``merged_into`` chain
        (a loop typed in the admin stops where it closes)."""
        office, seen = self, {self.pk}
        while office.merged_into_id is not None and office.merged_into_id not in seen:
            seen.add(office.merged_into_id)
            office = Office.objects.get(pk=office.merged_into_id)
        return office

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        """For tables and lists of many offices: "Kanwil Jawa Timur", "Kota Makassar"."""
        if self.level == Level.KANWIL:
            return f"Kanwil {self.region_name}"
        if self.level == Level.KANKEMENAG and self.region_name:
            return self.region_name
        return self.name

    @property
    def timezone_label(self) -> str:
        from satupintu.organization.reference import timezone_label

        return timezone_label(self.timezone)

    def ancestors_and_self(self) -> list["Office"]:
        chain: list[Office] = []
        node: Office | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class Unit(models.Model):
    """A functional unit (Tusi) such as Pendidikan Madrasah; every office has the same set."""

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit (Tusi)")
        verbose_name_plural = _("unit (Tusi)")

    @property
    def local_name(self) -> str:
        """The name in the language being served: the English name when English is asked for."""
        return local_text(self.name, self.name_en)

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    FRONT_OFFICE = "front_office", _("Petugas front office")
    UNIT_OFFICER = "unit_officer", _("Petugas unit")
    HEAD_OF_UNIT = "head_of_unit", _("Kepala unit")
    HEAD_OF_OFFICE = "head_of_office", _("Kepala kantor")
    ADMIN = "admin", _("Administrator")
    COMPLAINT_OFFICER = "complaint_officer", _("Petugas pengaduan")
    INSPECTORATE = "inspectorate", _("Inspektorat")
    FIELD_REPORTER = "field_reporter", _("Pelapor lapangan (penyuluh, kepala KUA/madrasah, petugas KUB)")
    HUMAS = "humas", _("Petugas Humas (pranata humas)")


class StaffRole(models.Model):
    """One role of one person in one office, optionally limited to one unit."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles")
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="staff_roles")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE)
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        unique_together = [("user", "office", "unit", "role")]
        verbose_name = _("peran pegawai")
        verbose_name_plural = _("peran pegawai")

    def __str__(self) -> str:
        unit = f" / {self.unit.code}" if self.unit else ""
        return f"{self.user} - {self.get_role_display()} @ {self.office.code}{unit}"


class JointLeaveDay(models.Model):
    """Cuti bersama (national when office is empty) or an office's own day off."""

    date = models.DateField()
    name = models.CharField(max_length=120)
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        ordering = ["date"]
        unique_together = [("date", "office")]
        verbose_name = _("cuti bersama / hari libur kantor")
        verbose_name_plural = _("cuti bersama / hari libur kantor")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
