"""Channels a message goes out on (registry.py lists them)."""


class PermanentFailure(Exception):
    """Raised by a channel when trying again cannot help (the recipient refused, the channel's
    rules forbid it): the outbox marks the message failed at once instead of retrying it."""
