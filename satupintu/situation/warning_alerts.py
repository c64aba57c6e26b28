"""A zone change (warning.py) becomes an Alert of kind "zone", e-mailed through the outbox.

Who hears: the head of the Kankemenag of the regency and the head of the Kanwil of its province
(for a province's own zone, the Kanwil head), by duty: the issue addresses the alert to them,
so it does not depend on their having subscribed (an AlertRule made for them would be one they
can delete, and a head who deletes it would silently miss the next merah). Everyone whose alert
subscription matches (trends.rule_matches: province, regency, kind "zone", a harmony topic or
any topic) hears too. One e-mail per person per alert: a head who also subscribed gets one.
The alert, its e-mails and the index are written in one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext

from satupintu.core.numbers import compact, decimal
from satupintu.core.reading_language import in_language_of
from satupintu.notifications.outbox import outbox_enqueue
from satupintu.organization.models import Role, StaffRole
from satupintu.situation import alert_text
from satupintu.situation.access import still_staff
from satupintu.situation.models import Alert, AlertKind, AlertRule, WarningLevel
from satupintu.situation.trends import rule_matches

if TYPE_CHECKING:
    from satupintu.situation.warning import Reading, WarningConfig


def _details(reading: Reading, previous: str) -> dict:  # type: ignore[type-arg]
    return alert_text.zone_details(reading.code, previous, reading.zone, reading.index,
                                   [(s["kind"], s["contribution"]) for s in reading.signals])


def _body(alert: Alert, reading: Reading) -> str:
    from satupintu.situation.warning import link_href, link_text, no_signals_text, signal_label

    base = settings.SITE_URL.rstrip("/")
    lines = [alert.headline, "", gettext("Penjelasan indeks (sinyal, jumlah, bobot, sumbangan):")]
    for s in reading.signals:
        lines.append(f"- {signal_label(s['kind'])}: {s['count']} x {compact(s['weight'])} -> {decimal(s['contribution'])}")
        for link in s["links"][:3]:
            href = link_href(link["url"])
            lines.append(f"    {link_text(link)}" + (f" ({base + href if href.startswith('/') else href})" if href else ""))
    if not reading.signals:
        lines.append(no_signals_text())
    lines += ["", gettext("Wilayah: %(url)s") % {"url": base + reverse("situation_warning_region", args=[reading.code])},
              gettext("Tindak lanjuti: %(url)s") % {"url": base + reverse("situation_alert", args=[alert.pk])}]
    return "\n".join(lines) + "\n"


def _heads(codes: set[str]) -> dict[str, list]:  # type: ignore[type-arg]
    """Office code -> its active heads (users with an e-mail), for the offices of these regions."""
    offices = codes | {c[:2] for c in codes}
    heads: dict[str, list] = defaultdict(list)  # type: ignore[type-arg]
    for role in (StaffRole.objects.filter(role=Role.HEAD_OF_OFFICE, office__code__in=offices, user__is_active=True)
                 .select_related("user", "office").order_by("pk")):
        if role.user.email:
            heads[role.office.code].append(role.user)
    return heads


def raise_zone_alerts(changes: list[tuple[Reading, str, float]], now: datetime,
                      cfg: WarningConfig) -> dict[str, Alert]:
    """One alert per (region, computation) from (reading, previous zone, previous index);
    returns code -> alert. Running the same computation again raises nothing new."""
    if not changes:
        return {}
    heads = _heads({r.code for r, _, _ in changes})
    rules = list(AlertRule.objects.filter(still_staff(), active=True).distinct().select_related("user"))
    alerts: dict[str, Alert] = {}
    for reading, previous, previous_index in changes:
        regency = reading.code if reading.level == WarningLevel.REGENCY else ""
        details = _details(reading, previous)
        alert, created = Alert.objects.get_or_create(
            key=f"zone:{reading.code}:{now.isoformat()}",
            defaults={"kind": AlertKind.ZONE, "province_code": reading.code[:2], "regency_code": regency,
                      "window_start": now - cfg.window, "window_end": now,
                      "count": sum(s["count"] for s in reading.signals), "baseline": previous_index,
                      "score": reading.index, "details": details, "summary": alert_text.indonesian(details),
                      "created_at": now})
        alerts[reading.code] = alert
        if not created:
            continue
        recipients = {u.pk: u for u in heads.get(reading.code, []) + (heads.get(reading.code[:2], []) if regency else [])}
        recipients.update({r.user.pk: r.user for r in rules if r.user.email and rule_matches(r, alert)})
        for user in recipients.values():
            with in_language_of(user):  # each reads it in the language they chose
                subject = (gettext("[Kewaspadaan dini] %(headline)s") % {"headline": alert.headline})[:250]
                body = _body(alert, reading)
            outbox_enqueue(channel="email", recipient=user.email, subject=subject,
                           body=body, dedupe_key=f"alert:{alert.pk}:user:{user.pk}")
    return alerts
