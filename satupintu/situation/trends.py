"""Trend detection: what rose well above its own baseline, and who hears about it.

Every topic in every province (and nationally), and every issue, is compared with itself:
the count in the last ``WINDOW`` against the mean per window over the ``BASELINE_DAYS``
before it. A rise is an alert when the count is at least ``MIN_COUNT`` and lies ``MIN_SCORE``
Poisson standard deviations above the baseline (so a quiet place does not alarm on two items
and a busy one does not alarm on its usual noise). The same for negative items only.

An alert has a key per subject and day: running the detector again updates today's alert
rather than raising a second one, and subscribers are told once.

Follow-up (acknowledge, assign, note, resolve) and subscriptions (alert rules, e-mailed
briefs) are here too; their errors name the form field at fault.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from satupintu.core.errors import Conflict, DomainError, NotFound, ValidationErrors
from satupintu.core.numbers import decimal
from satupintu.core.reading_language import in_language_of
from satupintu.notifications.outbox import outbox_enqueue
from satupintu.organization import reference
from satupintu.situation import alert_text
from satupintu.situation.access import may_act_on_alert, may_manage_subscription, still_staff
from satupintu.situation.models import (
    TOPIC_ORDER,
    WARNING_TOPICS,
    Alert,
    AlertEvent,
    AlertKind,
    AlertRule,
    AlertStatus,
    BriefPeriod,
    BriefSubscription,
    Issue,
    IssueStatus,
    Item,
)

WINDOW = timedelta(hours=24)
BASELINE_DAYS = 14
MIN_COUNT = 5
MIN_SCORE = 3.0
NOT_AN_ASSIGNEE_MESSAGE = "Pilih petugas yang dapat menindaklanjuti peringatan ini."


@dataclass(frozen=True)
class Rise:
    kind: str
    province_code: str
    topic: str
    count: int
    negative: int
    baseline: float
    score: float
    issue: Issue | None = None


def poisson_score(count: int, baseline: float) -> float:
    """Standard deviations above the baseline, with +1 so an empty baseline is not a division by zero."""
    return (count - baseline) / math.sqrt(baseline + 1.0)


def is_rise(count: int, baseline: float) -> bool:
    return count >= MIN_COUNT and poisson_score(count, baseline) >= MIN_SCORE


def _topic_counts(now: datetime) -> dict[tuple[str, str], list[int]]:
    """(province or "" for national, topic) -> [window count, window negatives, baseline count, baseline negatives]."""
    start = now - WINDOW - timedelta(days=BASELINE_DAYS)
    in_window = Case(When(published_at__gt=now - WINDOW, then=Value(1)), default=Value(0),
                     output_field=IntegerField())
    rows = (Item.objects.filter(published_at__gt=start, published_at__lte=now, duplicate_of__isnull=True)
            .exclude(topics_mask=0)
            .annotate(w=in_window).values("province_code", "topics_mask", "w")
            .annotate(n=Count("id"), neg=Count("id", filter=Q(sentiment="negative"))))
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in rows:
        slot = 0 if row["w"] else 2
        for bit, topic in enumerate(TOPIC_ORDER):
            if row["topics_mask"] & (1 << bit):
                for province in {row["province_code"], ""}:
                    c = counts[(province, topic)]
                    c[slot] += row["n"]
                    c[slot + 1] += row["neg"]
    return counts


def _windows_in_baseline() -> float:
    return timedelta(days=BASELINE_DAYS) / WINDOW


def topic_rises(now: datetime) -> list[Rise]:
    """Rises per topic and province, then nationally. One alert per subject: a negative rise
    says more than a volume rise of the same items, and a national rise that one province
    explains (half or more of it) is that province's alert, not a second one."""
    per = _windows_in_baseline()
    counts = _topic_counts(now)
    rises: dict[tuple[str, str], Rise] = {}
    for (province, topic), (n, neg, base_n, base_neg) in sorted(counts.items(), key=lambda kv: kv[0][0] == ""):
        mean, mean_neg = base_n / per, base_neg / per
        if is_rise(neg, mean_neg):
            rise = Rise(AlertKind.NEGATIVE, province, topic, neg, neg, mean_neg, poisson_score(neg, mean_neg))
        elif is_rise(n, mean):
            rise = Rise(AlertKind.VOLUME, province, topic, n, neg, mean, poisson_score(n, mean))
        else:
            continue
        if province == "" and any(r.topic == topic and r.kind == rise.kind and r.count * 2 >= rise.count
                                  for (p, _), r in rises.items() if p):
            continue
        rises[(province, topic)] = rise
    return list(rises.values())


def issue_rises(now: datetime) -> list[Rise]:
    since = now - WINDOW
    rows = (Item.objects.filter(issue__status=IssueStatus.OPEN, published_at__gt=since - timedelta(days=BASELINE_DAYS),
                                published_at__lte=now)
            .values("issue_id")
            .annotate(n=Count("id", filter=Q(published_at__gt=since)),
                      before=Count("id", filter=Q(published_at__lte=since)),
                      neg=Count("id", filter=Q(published_at__gt=since, sentiment="negative")))
            .filter(n__gte=MIN_COUNT))
    per = _windows_in_baseline()
    rises = []
    issues = Issue.objects.in_bulk([r["issue_id"] for r in rows])
    for r in rows:
        mean = r["before"] / per
        issue = issues[r["issue_id"]]
        if is_rise(r["n"], mean):
            rises.append(Rise(AlertKind.ISSUE, issue.province_code, (issue.topics or [""])[0], r["n"], r["neg"],
                              mean, poisson_score(r["n"], mean), issue))
    return rises


def _details(rise: Rise) -> dict:  # type: ignore[type-arg]
    if rise.kind == AlertKind.ISSUE and rise.issue:
        return alert_text.issue_details(rise.issue.title, rise.province_code, rise.count)
    return alert_text.topic_details(rise.topic, rise.province_code, rise.count, rise.baseline,
                                    negative=rise.kind == AlertKind.NEGATIVE)


def _key(rise: Rise, now: datetime) -> str:
    day = timezone.localdate(now).isoformat()
    if rise.kind == AlertKind.ISSUE and rise.issue:
        return f"issue:{rise.issue.pk}:{day}"
    return f"{rise.kind}:{rise.province_code or 'id'}:{rise.topic}:{day}"


def detect(now: datetime | None = None) -> list[Alert]:
    """Raise (or update) today's alerts; returns the newly raised ones (already notified)."""
    now = now or timezone.now()
    raised = []
    for rise in topic_rises(now) + issue_rises(now):
        details = _details(rise)
        fields = {"count": rise.count, "negative_count": rise.negative, "baseline": round(rise.baseline, 3),
                  "score": round(rise.score, 2), "window_start": now - WINDOW, "window_end": now,
                  "details": details, "summary": alert_text.indonesian(details)}
        with transaction.atomic():
            alert, created = Alert.objects.select_for_update().get_or_create(
                key=_key(rise, now),
                defaults={"kind": rise.kind, "province_code": rise.province_code, "topic": rise.topic,
                          "issue": rise.issue, "regency_code": rise.issue.regency_code if rise.issue else "",
                          **fields})
            if not created and rise.count > alert.count:
                Alert.objects.filter(pk=alert.pk).update(**fields)
            if created:
                notify_subscribers(alert)
                raised.append(alert)
    return raised


def rule_matches(rule: AlertRule, alert: Alert) -> bool:
    if rule.kind and rule.kind != alert.kind:
        return False
    if rule.province_code and rule.province_code != alert.province_code:
        return False
    if rule.regency_code and rule.regency_code != alert.regency_code and not (
            alert.issue and rule.regency_code in (alert.issue.regencies or [])):
        return False
    if rule.topic:
        # A zone change (warning.py) is about harmony, intolerance and radicalism together.
        topics = list(WARNING_TOPICS) if alert.kind == AlertKind.ZONE else (
            (alert.issue.topics if alert.issue else [alert.topic]) or [])
        if rule.topic not in topics:
            return False
    return True


def notify_subscribers(alert: Alert) -> int:
    """One e-mail per matching subscription, through the outbox (same transaction as the alert)."""
    url = settings.SITE_URL.rstrip("/") + reverse("situation_alert", args=[alert.pk])
    sent = 0
    for rule in AlertRule.objects.filter(still_staff(), active=True).distinct().select_related("user"):
        if not rule.user.email or not rule_matches(rule, alert):
            continue
        with in_language_of(rule.user):
            params = {"headline": alert.headline, "score": decimal(alert.score), "url": url,
                      "rule": rule.name or gettext("tanpa nama")}
            subject = "[Situation Room] %(headline)s" % params
            body = gettext("%(headline)s\n\nSkor kenaikan: %(score)s simpangan baku di atas biasanya.\n"
                           "Aturan langganan: %(rule)s\n\nTindak lanjuti: %(url)s\n") % params
        if outbox_enqueue(channel="email", recipient=rule.user.email, subject=subject,
                          body=body, dedupe_key=f"alert:{alert.pk}:rule:{rule.pk}"):
            sent += 1
    return sent


# -- follow-up ------------------------------------------------------------------------------------

def _event(alert: Alert, actor, action: str, note: str = "") -> None:  # type: ignore[no-untyped-def]
    AlertEvent.objects.create(alert=alert, actor=actor, action=action, note=note)


NOTE_MAX = 4000  # as a response case's texts (responses.TEXT_MAX): a note, not a document


def _note_fits(note: str) -> None:
    if len(note) > NOTE_MAX:
        raise DomainError("text_too_long", "Teks paling panjang %(max)s karakter.", field="note",
                          params={"max": NOTE_MAX})


def acknowledge(alert: Alert, user) -> Alert:  # type: ignore[no-untyped-def]
    if alert.status != AlertStatus.NEW:
        raise Conflict("alert_already_acknowledged", "Peringatan ini sudah diterima.")
    alert.status, alert.acknowledged_at, alert.acknowledged_by = AlertStatus.ACKNOWLEDGED, timezone.now(), user
    alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "updated_at"])
    _event(alert, user, "acknowledged")
    return alert


def assign(alert: Alert, user, assignee, note: str = "") -> Alert:  # type: ignore[no-untyped-def]
    """Hand the alert to ``assignee``, who must be allowed to act on it (situation/access.py):
    an alert given to someone the room would refuse is an alert nobody follows up."""
    if alert.status == AlertStatus.RESOLVED:
        raise Conflict("alert_resolved", "Peringatan yang sudah selesai tidak dapat ditugaskan.")
    if assignee is None:
        raise DomainError("invalid_assignee", "Pilih petugas yang ditugaskan.", field="assignee")
    _note_fits(note)
    if not may_act_on_alert(assignee, alert):
        raise DomainError("assignee_may_not_act", NOT_AN_ASSIGNEE_MESSAGE, field="assignee")
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by = timezone.now(), user
    alert.status, alert.assigned_to = AlertStatus.ASSIGNED, assignee
    alert.save(update_fields=["status", "assigned_to", "acknowledged_at", "acknowledged_by", "updated_at"])
    _event(alert, user, "assigned", f"{assignee.get_full_name() or assignee.username}. {note}".strip())
    if assignee.email:
        url = settings.SITE_URL.rstrip("/") + reverse("situation_alert", args=[alert.pk])
        with in_language_of(assignee):
            params = {"headline": alert.headline, "note": note, "url": url}
            subject = gettext("[Situation Room] Ditugaskan: %(headline)s") % params
            body = gettext("%(headline)s\n\n%(note)s\n\nTindak lanjuti: %(url)s\n") % params
        outbox_enqueue(channel="email", recipient=assignee.email, subject=subject, body=body,
                       dedupe_key=f"alert:{alert.pk}:assigned:{assignee.pk}:{alert.events.count()}")
    return alert


def add_note(alert: Alert, user, note: str) -> Alert:  # type: ignore[no-untyped-def]
    if not note.strip():
        raise DomainError("alert_note_empty", "Catatan tindak lanjut tidak boleh kosong.", field="note")
    _note_fits(note.strip())
    _event(alert, user, "note", note.strip())
    return alert


def resolve(alert: Alert, user, note: str) -> Alert:  # type: ignore[no-untyped-def]
    if alert.status == AlertStatus.RESOLVED:
        raise Conflict("alert_resolved", "Peringatan ini sudah selesai.")
    if not note.strip():
        raise DomainError("alert_note_empty", "Tuliskan tindak lanjut yang dilakukan sebelum menyelesaikan peringatan.",
                          field="note")
    _note_fits(note.strip())
    alert.status, alert.resolved_at = AlertStatus.RESOLVED, timezone.now()
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by = alert.resolved_at, user
    alert.save(update_fields=["status", "resolved_at", "acknowledged_at", "acknowledged_by", "updated_at"])
    _event(alert, user, "resolved", note.strip())
    return alert


# -- subscriptions ----------------------------------------------------------------------------------

def subscribe(user, *, province: str = "", topic: str = "", kind: str = "", name: str = "") -> AlertRule:  # type: ignore[no-untyped-def]
    """Follow alerts (blank: any province / topic / kind); every problem at once."""
    province, topic, kind, name = province.strip(), topic.strip(), kind.strip(), name.strip()
    names = reference.region_names()
    errors = []
    if province and (len(province) != 2 or province not in names):
        errors.append(DomainError("unknown_province", "Provinsi tidak dikenal.", field="province"))
    if topic and topic not in TOPIC_ORDER:
        errors.append(DomainError("unknown_topic", "Topik tidak dikenal.", field="topic"))
    if kind and kind not in AlertKind.values:
        errors.append(DomainError("unknown_alert_kind", "Jenis lonjakan tidak dikenal.", field="kind"))
    if not user.email:
        errors.append(DomainError("no_email", "Akun Anda belum punya alamat surel; peringatan tidak dapat dikirim."))
    if errors:
        raise ValidationErrors(errors)
    label = " · ".join((topic or "semua topik", names.get(province, "seluruh Indonesia"),
                        str(dict(AlertKind.choices).get(kind, "semua lonjakan"))))
    return AlertRule.objects.create(user=user, province_code=province, topic=topic, kind=kind,
                                    name=name[:200] or label)


def unsubscribe(user, rule: AlertRule | None) -> None:  # type: ignore[no-untyped-def]
    """Another person's subscription is "not found", not a hint that it exists."""
    if rule is None or not may_manage_subscription(user, rule):
        raise NotFound("subscription_not_found", "Langganan tidak ditemukan.", field="rule")
    rule.delete()


def unsubscribe_brief(user, subscription: BriefSubscription | None) -> None:  # type: ignore[no-untyped-def]
    """Stop a brief by e-mail; another person's is "not found", like an alert rule's."""
    if subscription is None or not may_manage_subscription(user, subscription):
        raise NotFound("subscription_not_found", "Langganan tidak ditemukan.", field="subscription")
    subscription.delete()


def subscribe_brief(user, *, region: str = "", period: str = "") -> BriefSubscription:  # type: ignore[no-untyped-def]
    """Receive the daily or weekly brief of a region (blank: national) by e-mail; once."""
    region = region.strip()
    errors = []
    if region and region not in reference.region_names():
        errors.append(DomainError("unknown_region", "Wilayah ringkasan tidak dikenal.", field="region"))
    if period not in BriefPeriod.values:
        errors.append(DomainError("unknown_period", "Pilih periode ringkasan: harian atau mingguan.", field="period"))
    if errors:
        raise ValidationErrors(errors)
    subscription, _ = BriefSubscription.objects.get_or_create(user=user, region_code=region, period=period)
    return subscription
