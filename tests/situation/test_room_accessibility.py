"""The Situation Room for screen readers and the keyboard, through the Django test client.

The room's body is refreshed every minute (room.js): it is not a live region (a screen reader
would read the whole dashboard out again each minute); a short status line says when it was
refreshed. On an issue page each item's checkbox (to split items off) is named by the item's
title, not only "pilih"."""

from __future__ import annotations

import lxml.html
import pytest

from satupintu.situation.models import Item
from tests.situation.test_room_views import plant, source  # noqa: F401  (source: a fixture)

pytestmark = pytest.mark.django_db


def test_the_room_body_is_not_a_live_region_a_status_line_is(client, people, source):  # noqa: F811  # type: ignore[no-untyped-def]
    plant(source)
    client.force_login(people.kakanwil_sulsel)
    page = lxml.html.fromstring(client.get("/situasi/?provinsi=32").content)
    (body,) = page.xpath('//*[@id="room-body"]')
    assert not body.xpath("ancestor-or-self::*[@aria-live or @role='status' or @role='log' or @role='alert']")
    (status,) = page.xpath('//*[@id="room-status"]')
    assert status.get("role") == "status" and status.get("data-msg-updated") == "Diperbarui"
    assert not body.xpath('.//*[@id="room-status"]')  # outside the part that is replaced
    assert status.text_content().strip() == ""  # nothing to say until the first refresh


def test_each_item_checkbox_is_named_by_its_item(client, room_people, source):  # noqa: F811  # type: ignore[no-untyped-def]
    issue = plant(source)
    client.force_login(room_people.kakanwil_jabar)  # may split the Bogor issue's items
    page = lxml.html.fromstring(client.get(f"/situasi/isu/{issue.pk}/").content)
    boxes = page.xpath('//input[@type="checkbox"][@name="items"]')
    assert len(boxes) == issue.items.count() > 1
    titles = dict(Item.objects.filter(issue=issue).values_list("pk", "title"))
    names = {}
    for box in boxes:
        ids = (box.get("aria-labelledby") or "").split()
        assert ids, box.get("id")
        parts = []
        for id_ in ids:
            (named,) = page.xpath(f'//*[@id="{id_}"]')
            parts.append(" ".join(named.text_content().split()))
        names[int(box.get("value"))] = " ".join(parts)
    for pk, name in names.items():
        assert titles[pk] in name, (name, titles[pk])
    assert len(set(names.values())) == len(names)  # no two checkboxes sound the same
