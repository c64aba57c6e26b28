"""Proving on the public tracking page (and the API) that an application is yours.

The usual proof is the last four digits of the phone number: only 10,000 values. Guessing
is capped twice: per application and client (``UNLOCK_PER_CLIENT``), and per application
from everyone together (``UNLOCK_PER_APPLICATION``: 10 wrong guesses a day), so a thousand
addresses buy no more guesses than one. Each guess is counted before it is checked, atomically,
so parallel guesses cannot slip past the cap.

A stranger who spends that cap must not lock the owner out, so past it the four digits are
no longer enough and the page asks for the *whole* phone number instead: the owner knows it;
a stranger faces ~10^9 numbers instead of 10^4. The whole number is limited only per client
(``FULL_PHONE_PER_CLIENT``), never per application, so nobody can block it for the owner.
(Signing in with the account that applied, or the signed receipt link, work as before.)
"""

from __future__ import annotations

from satupintu.core import ratelimit
from satupintu.core.errors import DomainError
from satupintu.services import identity
from satupintu.services.models import Application

# Per client over all applications: a stranger spraying whole numbers at many codes.
FULL_PHONE_PER_CLIENT = ratelimit.Limit("unlock-phone-client", 10, ratelimit.HOUR,
                                        "Terlalu banyak percobaan. Coba lagi satu jam lagi.")


def needs_full_phone(app: Application) -> bool:
    """True once the application's guesses are spent: the four digits no longer unlock."""
    return ratelimit.exhausted(ratelimit.UNLOCK_PER_APPLICATION, app.pk)


def _digits(raw: str) -> str:
    return "".join(c for c in (raw or "") if c.isdigit())


def check_last4(app: Application, last4: str, *, client: str) -> None:
    """Return when ``last4`` are the phone's last four digits; raise otherwise:
    ``too_many_attempts`` (429) for this client, ``full_phone_required`` (429) once the
    application's cap is spent, ``phone_mismatch`` (403) for a wrong guess."""
    digits = _digits(last4)
    if len(digits) != 4:
        # Not a guess: nothing counted.
        raise DomainError("invalid_phone_last4", "Tulis empat digit terakhir nomor HP.", field="phone_last4")
    if not ratelimit.take(ratelimit.UNLOCK_PER_CLIENT, app.pk, client):
        ratelimit.refund(ratelimit.UNLOCK_PER_CLIENT, app.pk, client)
        raise ratelimit.RateLimited(ratelimit.UNLOCK_PER_CLIENT, "too_many_attempts")
    if not ratelimit.take(ratelimit.UNLOCK_PER_APPLICATION, app.pk):
        ratelimit.refund(ratelimit.UNLOCK_PER_APPLICATION, app.pk)
        ratelimit.refund(ratelimit.UNLOCK_PER_CLIENT, app.pk, client)
        raise DomainError(
            "full_phone_required",
            "Terlalu banyak percobaan yang salah untuk permohonan ini. Demi keamanan, tulis nomor HP "
            "lengkap yang didaftarkan.", field="phone", status=429)
    if app.phone.endswith(digits):
        # The owner's right answer does not use up anyone's guesses.
        ratelimit.refund(ratelimit.UNLOCK_PER_APPLICATION, app.pk)
        ratelimit.refund(ratelimit.UNLOCK_PER_CLIENT, app.pk, client)
        return
    raise DomainError("phone_mismatch", "Empat digit terakhir nomor HP tidak cocok.", field="phone_last4", status=403)


def check_full_phone(app: Application, phone: str, *, client: str) -> None:
    """Return when ``phone`` is the whole number on the application (any usual spelling)."""
    if not ratelimit.take(FULL_PHONE_PER_CLIENT, client):
        ratelimit.refund(FULL_PHONE_PER_CLIENT, client)
        raise ratelimit.RateLimited(FULL_PHONE_PER_CLIENT, "too_many_attempts")
    try:
        given = identity.clean_phone(phone)
    except DomainError:
        given = ""
    if given and given == app.phone:
        ratelimit.refund(FULL_PHONE_PER_CLIENT, client)
        return
    raise DomainError("phone_mismatch", "Nomor HP tidak cocok dengan yang didaftarkan.", field="phone", status=403)


def check_proof(app: Application, *, last4: str = "", phone: str = "", client: str) -> None:
    """The whole number when given, else the last four digits."""
    if (phone or "").strip():
        check_full_phone(app, phone, client=client)
    else:
        check_last4(app, last4, client=client)
