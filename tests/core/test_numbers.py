"""Numbers written as the reader's language writes them, the same way templates' floatformat does:
a page never puts "(54.7)" beside "39,5", and an English page never reads "12,5 hours"."""

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation

from satupintu.core.numbers import compact, decimal, whole
from satupintu.reform.charts import number
from satupintu.reform.integrity_figures import format_number
from satupintu.situation.response_figures import hours_label


@pytest.mark.parametrize("value", [54.66, 54.65, 0.05, -1.25, 12.0, 3.0])
@pytest.mark.parametrize("language", ["id", "en"])
def test_a_decimal_reads_as_floatformat_writes_it(value, language):  # type: ignore[no-untyped-def]
    with translation.override(language):
        assert decimal(value) == floatformat(value, 1)  # rounded half up, never cut: 54.66 is 54,7


def test_the_separators_follow_the_language():
    with translation.override("id"):
        assert (decimal(54.66), decimal(1234.5, 2, grouped=True), whole(12500), compact(20.0), compact(0.75)) == \
            ("54,7", "1.234,50", "12.500", "20", "0,75")
    with translation.override("en"):
        assert (decimal(54.66), decimal(1234.5, 2, grouped=True), whole(12500), compact(20.0), compact(0.75)) == \
            ("54.7", "1,234.50", "12,500", "20", "0.75")
        assert decimal(54.66, 1, "id") == "54,7"  # an Indonesian PDF asked for from an English page


def test_pages_write_figures_in_their_language_and_pdfs_in_indonesian():
    with translation.override("en"):
        assert (format_number(85.2), format_number(1234), format_number(92.25, "%")) == ("85.20", "1,234", "92.3%")
        assert (number(88.314, "IKM"), number(12.0, "jam")) == ("88.31", "12.0 hours")
        assert hours_label(3.5) == "3,5 jam"  # the brief's PDF is Indonesian whoever asks for it
    with translation.override("id"):
        assert (format_number(85.2), format_number(1234), format_number(92.25, "%")) == ("85,20", "1.234", "92,3%")
        assert (number(88.314, "IKM"), number(12.0, "jam")) == ("88,31", "12,0 jam")


def test_whole_percents_round_half_up_as_people_do():
    # round() halves to even: 1 of 8 read "12%" on the room's response table.
    from satupintu.core.numbers import percent
    from satupintu.organization.models import Office
    from satupintu.situation.response_figures import OfficeFigures

    assert [percent(1, 8), percent(5, 8), percent(1, 3), percent(2, 3), percent(0, 5), percent(5, 5)] == [
        13, 63, 33, 67, 0, 100]
    assert OfficeFigures(Office(code="73.22"), negative_issues=8, responded_issues=1).responded_percent == 13
