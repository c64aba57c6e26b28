"""The reform demo: a unit's breakthrough whose figures really moved (from demo applications and
survey answers on both sides of its start), one indicator without data, and a Rakor call's board."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from satupintu.demo import DEMO_PASSWORD, STAFF
from satupintu.organization.models import Office, StaffRole, Unit
from satupintu.reform.demo import TITLE, load_reform_demo
from satupintu.reform.indicators import before_after
from satupintu.reform.models import Breakthrough, BreakthroughCall, IndicatorKind
from satupintu.reform.selectors import call_board
from satupintu.services.models import Application

pytestmark = pytest.mark.django_db


def _users() -> dict:  # type: ignore[type-arg]
    users = {}
    for username, name, office, unit, role in STAFF:
        user = get_user_model().objects.create_user(username, f"{username}@demo.local", DEMO_PASSWORD, first_name=name)
        StaffRole.objects.create(user=user, office=Office.objects.get(code=office), role=role,
                                 unit=Unit.objects.get(code=unit) if unit else None)
        users[username] = user
    return users


def test_the_demo_shows_a_breakthrough_that_moved_its_figures_and_a_call_board():
    users = _users()
    message = load_reform_demo(users)
    b = Breakthrough.objects.get(title=TITLE)
    assert f"/terobosan/{b.pk}/" in message
    effects = {e.kind: e for e in before_after(b)}
    for kind in (IndicatorKind.ON_TIME_RATE, IndicatorKind.ONLINE_SHARE, IndicatorKind.IKM):
        e = effects[kind]
        assert e.before is not None and e.after is not None and e.better is True, e
    assert effects[IndicatorKind.COMPLAINT_HOURS].after is None
    assert effects[IndicatorKind.COMPLAINT_HOURS].message.startswith("Belum ada data setelah terobosan dimulai")
    board = call_board(BreakthroughCall.objects.get())
    assert board.past_due and board.counts["delivered"] == 1 and board.counts["late"] == 1
    assert board.counts["missing"] == board.total - 2

    c = Client()
    assert c.login(username="kasi.pendma.lutra", password=DEMO_PASSWORD)
    page = c.get(f"/terobosan/{b.pk}/").content.decode()
    assert len(re.findall(r'<rect class="bar bar-(before|after)"', page)) == 6  # three indicators with both bars
    assert b.evidence.count() == 2
    c = Client()
    assert c.login(username="kakanwil.sulsel", password=DEMO_PASSWORD)
    board_page = c.get(f"/rakor/keputusan/{board.call.decision_id}/").content.decode()
    assert 'data-state="delivered"' in board_page and 'data-state="late"' in board_page

    count = Application.objects.count()
    assert "sudah ada" in load_reform_demo(users)  # twice: nothing new
    assert Application.objects.count() == count and Breakthrough.objects.count() == 2
