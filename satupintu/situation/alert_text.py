"""An alert's one-line headline, from what it is made of (``Alert.details``), in the reader's language.

The detectors (trends.py, warning_alerts.py) store the parts, not only the sentence: the room shows
the headline in the language of whoever reads it (``Alert.headline``), while ``Alert.summary`` keeps
the Indonesian sentence for the e-mails and for alerts raised before the parts were kept.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext

from satupintu.core.numbers import decimal
from satupintu.organization import reference

RANK = {"hijau": 0, "kuning": 1, "merah": 2}  # zones, lowest first


def issue_details(title: str, province: str, count: int) -> dict[str, Any]:
    return {"text": "issue", "title": title[:200], "where": province, "count": count}


def topic_details(topic: str, province: str, count: int, baseline: float, negative: bool) -> dict[str, Any]:
    return {"text": "topic", "topic": topic, "where": province, "count": count, "baseline": round(baseline, 1),
            "negative": negative}


def zone_details(region: str, previous: str, zone: str, index: float,
                 top: list[tuple[str, float]]) -> dict[str, Any]:
    return {"text": "zone", "where": region, "previous": previous, "zone": zone, "index": round(index, 1),
            "top": [[kind, round(contribution, 1)] for kind, contribution in top[:3]]}


def headline(details: dict[str, Any]) -> str | None:
    """The sentence in the active language, or None for details it does not know."""
    from satupintu.situation.models import Zone
    from satupintu.situation.topic_labels import topic_label
    from satupintu.situation.warning import signal_label

    try:
        kind = details.get("text")
        where = reference.region_name(details["where"]) if details.get("where") else gettext("Nasional")
        if kind == "issue":
            return gettext("Isu naik: %(title)s (%(where)s) - %(count)s butir dalam 24 jam") % {
                "title": details["title"], "where": where, "count": details["count"]}
        if kind == "topic":
            text = (gettext("%(topic)s di %(where)s: %(count)s butir negatif dalam 24 jam (biasanya %(baseline)s)")
                    if details.get("negative") else
                    gettext("%(topic)s di %(where)s: %(count)s butir dalam 24 jam (biasanya %(baseline)s)"))
            return text % {"topic": topic_label(details["topic"]), "where": where, "count": details["count"],
                           "baseline": decimal(float(details["baseline"]))}
        if kind == "zone":
            rose = RANK[details["zone"]] > RANK[details["previous"]]
            text = (gettext("Zona kewaspadaan %(where)s naik: %(previous)s → %(zone)s (indeks %(index)s)") if rose
                    else gettext("Zona kewaspadaan %(where)s turun: %(previous)s → %(zone)s (indeks %(index)s)"))
            text = text % {"where": where, "previous": str(Zone(details["previous"]).label).lower(),
                           "zone": str(Zone(details["zone"]).label).lower(), "index": decimal(float(details["index"]))}
            if top := ", ".join(f"{signal_label(k).lower()} {decimal(float(c))}" for k, c in details.get("top", [])):
                text = gettext("%(headline)s; sinyal utama: %(signals)s") % {"headline": text, "signals": top}
            return text
    except (KeyError, TypeError, ValueError):
        return None
    return None


def indonesian(details: dict[str, Any]) -> str:
    """The stored summary (e-mails, and what the room falls back on)."""
    with translation.override("id"):
        return (headline(details) or "")[:400]
