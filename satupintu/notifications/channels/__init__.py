"""Channels a message goes out on (registry.py lists them)."""


class PermanentFailure(Exception):
    """Raised by a channel when trying again cannot help (the recipient refused, the channel's
    rules forbid it): the outbox marks the message failed at once instead of retrying it."""


class NotYourTurn(Exception):
    """Raised by a channel when an earlier message to the same person has still to go (a chat is
    read in order: the answer before "Ada lagi yang bisa kami bantu?"). The outbox puts the message
    back without counting an attempt and tries it again in ``seconds``."""

    def __init__(self, seconds: float = 1.0):
        super().__init__(f"an earlier message goes first; again in {seconds:g} s")
        self.seconds = seconds
