"""The outbox: saved with its cause, sent once, retried on failure, never lost."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from satupintu.core.errors import DomainError
from satupintu.notifications import outbox
from satupintu.notifications.channels import registry
from satupintu.notifications.models import OutboxMessage, OutboxStatus
from satupintu.services.workflow import application_transition


def test_status_change_and_its_message_commit_together(submit, people, django_capture_on_commit_callbacks):
    app = submit()
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(app, "verify", user=people.fo_lutra)
    message = OutboxMessage.objects.get(subject__endswith="telah diverifikasi")
    assert message.status == OutboxStatus.SENT  # the on-commit kick delivered it (eager worker)
    assert [m.subject for m in mail.outbox][-1] == message.subject
    assert mail.outbox[-1].extra_headers["Message-ID"] == f"<outbox-{message.pk}@127.0.0.1>"


def test_failed_transition_leaves_no_message(submit, people):
    app = submit()
    before = OutboxMessage.objects.count()
    with pytest.raises(DomainError):
        application_transition(app, "complete", user=people.pendma_lutra)
    assert OutboxMessage.objects.count() == before


def test_a_message_is_sent_exactly_once_even_if_delivered_twice(submit):
    submit()
    message = OutboxMessage.objects.get()
    assert outbox.outbox_deliver(message.pk) is True
    assert outbox.outbox_deliver(message.pk) is False  # a duplicate task finds it sent
    assert outbox.outbox_flush() == 0
    assert len(mail.outbox) == 1


def test_channel_failure_is_retried_with_backoff(submit, monkeypatch):
    submit()
    message = OutboxMessage.objects.get()
    calls = []

    def flaky(msg):  # type: ignore[no-untyped-def]
        calls.append(msg.pk)
        if len(calls) == 1:
            raise ConnectionError("SMTP server unreachable")
        registry.email.send(msg)

    monkeypatch.setitem(registry.CHANNELS, "email", flaky)
    assert outbox.outbox_deliver(message.pk) is False
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and message.attempts == 1
    assert "SMTP server unreachable" in message.last_error
    assert message.next_attempt_at > timezone.now()
    assert outbox.outbox_flush() == 0  # not due yet
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert outbox.outbox_flush() == 1
    assert len(mail.outbox) == 1


def test_worker_that_died_mid_send_releases_the_message_after_the_lease(submit):
    submit()
    message = OutboxMessage.objects.get()
    # A worker claimed it and died: the claim holds for the lease, then the flush retries.
    assert outbox._claim(message.pk)
    assert outbox.outbox_flush() == 0
    OutboxMessage.objects.filter(pk=message.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert outbox.outbox_flush() == 1
    assert len(mail.outbox) == 1


def test_a_late_failure_of_a_worker_whose_claim_ran_out_does_not_send_it_twice(submit, monkeypatch):
    """Worker A's send hangs past its lease; worker B takes the message and sends it; then A's send
    times out. A used to put the message back to pending, and the flush sent it a second time."""
    submit()
    message = OutboxMessage.objects.get()

    def hanging_then_timing_out(msg):  # type: ignore[no-untyped-def]
        # While A waits on the server: its lease runs out, B claims the message and delivers it.
        OutboxMessage.objects.filter(pk=msg.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
        monkeypatch.setitem(registry.CHANNELS, "email", registry.email.send)
        assert outbox.outbox_deliver(msg.pk) is True
        raise TimeoutError("SMTP server did not answer")

    monkeypatch.setitem(registry.CHANNELS, "email", hanging_then_timing_out)
    assert outbox.outbox_deliver(message.pk) is False
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert outbox.outbox_flush() == 0
    assert len(mail.outbox) == 1


def test_broker_down_does_not_stop_the_citizen(submit, monkeypatch, django_capture_on_commit_callbacks):
    from satupintu.notifications import tasks

    def broker_down(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("redis down")

    monkeypatch.setattr(tasks.deliver_message, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        app = submit()
    assert app.pk is not None
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.PENDING
    assert outbox.outbox_flush() == 1  # the scheduler's flush sends it once the broker is back


def test_dedupe_key_prevents_two_messages_for_one_cause(db):
    first = outbox.outbox_enqueue(channel="email", recipient="a@b.id", subject="s", body="b", dedupe_key="k1")
    second = outbox.outbox_enqueue(channel="email", recipient="a@b.id", subject="s", body="b", dedupe_key="k1")
    assert first is not None and second is None
    assert OutboxMessage.objects.count() == 1


def test_a_title_typed_with_a_newline_still_goes_out_as_one_subject_line(db):
    """Django refuses a header with a newline (BadHeaderError): the invitation was retried and never sent."""
    message = outbox.outbox_enqueue(channel="email", recipient="kakan@contoh.id", subject="[Rakor] Undangan: Rapat\r\nBcc: x@y.z",
                                    body="Isi", dedupe_key="newline-subject")
    assert message is not None and outbox.outbox_deliver(message.pk) is True
    assert mail.outbox[0].subject == "[Rakor] Undangan: Rapat Bcc: x@y.z" and mail.outbox[0].bcc == []
