"""`satupintu webhooks add/list/remove`, in-process."""

from __future__ import annotations

from satupintu.cli import main
from satupintu.integrations.models import WebhookEndpoint
from tests.integrations.conftest import flush


def test_add_list_remove(receiver, capsys, submit):
    assert main(["webhooks", "add", receiver.url, "--events", "application.submitted,report.submitted"]) == 0
    out = capsys.readouterr().out
    lines = dict(line.split(": ", 1) for line in out.strip().splitlines())
    endpoint = WebhookEndpoint.objects.get(pk=int(lines["id"]))
    assert lines["secret"].startswith("whsec_") and lines["secret"] == endpoint.secret
    assert endpoint.events == ["application.submitted", "report.submitted"]
    submit()
    flush()
    assert receiver.of_type(lines["secret"], "application.submitted")

    assert main(["webhooks", "list"]) == 0
    listed = capsys.readouterr().out
    assert receiver.url in listed and lines["id"] in listed and lines["secret"] not in listed

    assert main(["webhooks", "remove", lines["id"]]) == 0
    assert not WebhookEndpoint.objects.exists()
    assert main(["webhooks", "remove", lines["id"]]) == 2


def test_add_refuses_loopback_and_unknown_events(db, capsys):
    assert main(["webhooks", "add", "http://127.0.0.1:9/hook", "--events", "application.submitted"]) == 2
    assert "url" in capsys.readouterr().err
    assert main(["webhooks", "add", "https://example.org/hook", "--events", "nope"]) == 2
    assert "events" in capsys.readouterr().err
    assert not WebhookEndpoint.objects.exists()
