"""E-mail channel: Django's mail backend (SMTP in production, files in var/mail locally)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage

from satupintu.notifications.models import OutboxMessage


def send(message: OutboxMessage) -> None:
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "satupintu.local"
    email = EmailMessage(
        # One line: a newline typed into a title (a meeting, an issue) that ends up in a subject
        # made Django refuse the header (BadHeaderError), and the mail never went, retry after retry.
        subject=" ".join(message.subject.split()),
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        # A fixed Message-ID per outbox row: if a worker dies after the SMTP server took
        # the message but before we marked it sent, the retry carries the same id and
        # mail systems treat it as the same message.
        headers={"Message-ID": f"<outbox-{message.pk}@{domain}>"},
    )
    if message.attachment_name and message.attachment is not None:
        email.attach(message.attachment_name, bytes(message.attachment), message.attachment_type or None)
    email.send(fail_silently=False)
