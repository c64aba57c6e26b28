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
