import re

import pytest

from satupintu.core.errors import DomainError
from satupintu.services.tracking_codes import ALPHABET, new_tracking_code, normalize_tracking_code


def test_codes_are_short_unambiguous_and_unique():
    codes = {new_tracking_code() for _ in range(5000)}
    assert len(codes) == 5000
    for code in list(codes)[:200]:
        assert re.fullmatch(r"[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}", code)
        assert not set(code) & set("01OI")
    assert len(ALPHABET) == 32


def test_normalizing_forgives_case_spaces_and_dashes():
    code = new_tracking_code()
    assert normalize_tracking_code(code.lower().replace("-", " ")) == code
    assert normalize_tracking_code(" " + code.replace("-", "") + " ") == code


def test_every_single_typo_is_detected():
    code = new_tracking_code().replace("-", "")
    for i in range(len(code)):
        for c in ALPHABET:
            if c == code[i]:
                continue
            typo = code[:i] + c + code[i + 1:]
            with pytest.raises(DomainError) as info:
                normalize_tracking_code(typo)
            assert info.value.code == "mistyped_tracking_code"


@pytest.mark.parametrize("raw, code", [("", "invalid_tracking_code"), ("ABC", "invalid_tracking_code"),
                                       ("ABCDE-FGH0I", "invalid_tracking_code")])
def test_malformed_codes(raw, code):
    with pytest.raises(DomainError) as info:
        normalize_tracking_code(raw)
    assert info.value.code == code


def test_the_code_opened_last_is_kept_when_fifty_are_remembered(db):
    """Kept in alphabetical order, the fifty-first code a desk opened could drop the one just sent."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    from satupintu.services import tracking

    request = RequestFactory().get("/")
    request.session = SessionStore()
    for i in range(50):
        tracking.unlock(request, f"ZZZ{i:02d}-ZZZZZ")
    tracking.unlock(request, "22222-22222")  # the application just submitted
    opened = request.session["unlocked_applications"]
    assert opened[-1] == "22222-22222" and "ZZZ00-ZZZZZ" not in opened and len(opened) == 50


def test_a_complaint_s_code_typed_in_the_application_box_opens_the_complaint(db):
    """The home page's "Sudah mengajukan?" box and /lacak/ said "not found" for a complaint's code."""
    from django.test import Client

    from satupintu.feedback import reports

    report = reports.report_submit(reports.ReportSubmission(
        kind="complaint", category="service_quality", office="73.22", title="Antrean lama",
        text="Antrean legalisir di loket memakan waktu tiga jam.", name="Budi", email="budi@contoh.id"))
    typed = report.tracking_code.lower().replace("-", " ")
    landed = Client().get("/lacak/", {"kode": typed}, follow=True)
    assert landed.redirect_chain[-1][0] == f"/pengaduan/{report.tracking_code}/"
    assert landed.status_code == 200
