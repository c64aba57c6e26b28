"""Two early-warning runs at once (a slow run overtaken by the next, `satupintu situation
kewaspadaan` beside the schedule): both finish, each region is stored once, one alert per change."""

from __future__ import annotations

import pytest

from satupintu.situation import warning
from satupintu.situation.models import Alert, AlertKind, RegionWarning
from tests.concurrency import at_once, meet_after
from tests.situation.test_warning import item

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_first_runs_at_once_store_each_region_once(monkeypatch):  # type: ignore[no-untyped-def]
    meet_after(monkeypatch, warning, "read_all")  # both read before either writes
    results = at_once(lambda: warning.compute())
    assert len(results) == 2  # neither failed (on the unique region code)
    assert RegionWarning.objects.count() == 514 + 38


def test_a_zone_change_seen_by_two_runs_at_once_raises_one_alert(monkeypatch):  # type: ignore[no-untyped-def]
    warning.compute()
    for _ in range(10):  # 10 x 3 = 30: kuning
        item("73.22")
    meet_after(monkeypatch, warning, "read_all")  # both read before either writes
    results = at_once(lambda: warning.compute())
    assert len(results) == 2
    assert sorted(len(r.changes) for r in results) == [0, 1]
    assert Alert.objects.filter(kind=AlertKind.ZONE).count() == 1
