"""Survey stuffing (issue #11, point 8): only a kiosk the office registered counts in its
index; answers from anywhere else are kept as feedback outside the IKM and its tallies."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from satupintu.feedback import kiosks, selectors, survey
from satupintu.feedback.models import Channel, KioskDevice, SurveyResponse
from satupintu.feedback.tallies import refresh_tallies
from satupintu.organization.models import Office

pytestmark = pytest.mark.django_db
GOOD = {f"u{i}": "4" for i in range(1, 10)}
WORST = {f"u{i}": "1" for i in range(1, 10)}
KIOSK = "/survei/kios/73.22/"


def _ikm(code: str = "73.22"):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return selectors.ikm_of_office(Office.objects.get(code=code), selectors.Period(date(today.year, 1, 1), today))


def _register(people, name: str = "Tablet loket PTSP") -> tuple[Client, str]:  # type: ignore[no-untyped-def]
    admin = Client()
    admin.force_login(people.kakan_lutra)  # the head of the Kankemenag Luwu Utara
    page = admin.post("/petugas/kantor/kios/?office=73.22", {"office": "73.22", "name": name})
    assert page.status_code == 201, page.content
    url = re.search(r"(/survei/kios/73\.22/pasang/[^/<\s]+/)", page.content.decode())
    assert url, page.content.decode()
    return admin, url.group(1)


def _tablet(install_path: str) -> Client:
    tablet = Client()
    installed = tablet.get(install_path)
    assert installed.status_code == 302 and installed["Location"] == KIOSK
    assert tablet.cookies[kiosks.COOKIE_NAME]["max-age"] >= 365 * 24 * 3600
    return tablet


def test_answers_from_a_registered_kiosk_count(people):  # type: ignore[no-untyped-def]
    _, install = _register(people)
    tablet = _tablet(install)
    assert "Terima kasih" in tablet.post(KIOSK, GOOD).content.decode()
    answer = SurveyResponse.objects.get()
    assert answer.verified and answer.kiosk == KioskDevice.objects.get() and answer.channel == Channel.KIOSK
    assert _ikm().respondents == 1 and _ikm().ikm == 100
    assert KioskDevice.objects.get().created_by == people.kakan_lutra


def test_kiosk_answers_without_a_token_do_not_move_the_index(people):  # type: ignore[no-untyped-def]
    _, install = _register(people)
    _tablet(install).post(KIOSK, GOOD)
    stranger = Client()
    for _ in range(6):  # the stuffing of the issue: worst scores from anywhere
        assert stranger.post(KIOSK, WORST).status_code == 200
    assert SurveyResponse.objects.filter(verified=False).count() == 6  # kept as feedback ...
    result = _ikm()
    assert result.respondents == 1 and result.ikm == 100  # ... but not in the index
    page = Client().get("/kantor/73.22/ikm/").content.decode()
    assert "100" in page
    # Nor in the monthly tallies the dashboards read.
    refresh_tallies()
    dashboard = selectors.dashboard(Office.objects.get(code="73.22"), selectors.Period(
        date(timezone.localdate().year, 1, 1), timezone.localdate()))
    assert dashboard.result.respondents == 1
    # And a seventh from the same address within the hour is refused.
    assert stranger.post(KIOSK, WORST).status_code == 429


@pytest.mark.parametrize("forge", ["altered", "other_key", "other_office", "garbage"])
def test_forged_kiosk_tokens_do_not_count(people, forge, settings):  # type: ignore[no-untyped-def]
    _, install = _register(people)
    token = install.rstrip("/").rsplit("/", 1)[1]
    device = KioskDevice.objects.get()
    if forge == "altered":
        forged = signing.dumps({"d": device.pk + 1, "o": device.office_id}, salt="skm-kiosk-device")[:-2] + "xx"
    elif forge == "other_key":
        forged = signing.dumps({"d": device.pk, "o": device.office_id}, salt="skm-kiosk-device", key="bukan-kunci-kami")
    elif forge == "other_office":  # a real token of another office's kiosk
        other = kiosks.kiosk_register(Office.objects.get(code="73.71"), "Tablet Makassar")
        forged = kiosks.kiosk_token(other)
    else:
        forged = token[:10]
    c = Client()
    c.cookies[kiosks.COOKIE_NAME] = forged
    c.post(KIOSK, WORST)
    assert not SurveyResponse.objects.get().verified and _ikm().respondents == 0
    assert c.get(f"/survei/kios/73.22/pasang/{forged}/").status_code == 404


def test_a_revoked_kiosk_no_longer_counts(people):  # type: ignore[no-untyped-def]
    admin, install = _register(people)
    tablet = _tablet(install)
    tablet.post(KIOSK, GOOD)
    device = KioskDevice.objects.get()
    assert admin.post("/petugas/kantor/kios/?office=73.22", {"office": "73.22", "revoke": device.pk}).status_code == 302
    device.refresh_from_db()
    assert device.revoked_at is not None
    tablet.post(KIOSK, WORST)
    assert [r.verified for r in SurveyResponse.objects.order_by("id")] == [True, False]
    assert _ikm().respondents == 1 and _ikm().ikm == 100
    assert Client().get(install).status_code == 404  # its install link is dead too


def test_only_the_office_admin_or_head_registers_kiosks(people):  # type: ignore[no-untyped-def]
    front_office = Client()
    front_office.force_login(people.fo_lutra)
    assert front_office.post("/petugas/kantor/kios/", {"office": "73.22", "name": "Tablet"}).status_code == 403
    other_head = Client()
    other_head.force_login(people.kakanwil_jateng)
    assert other_head.post("/petugas/kantor/kios/?office=73.22", {"office": "73.22", "name": "x"}).status_code == 403
    assert Client().get("/petugas/kantor/kios/").status_code == 302  # to the sign-in page
    assert KioskDevice.objects.count() == 0


def test_a_registered_kiosk_is_limited_per_minute(people):  # type: ignore[no-untyped-def]
    _, install = _register(people)
    tablet = _tablet(install)
    for _ in range(6):
        assert tablet.post(KIOSK, GOOD).status_code == 200
    limited = tablet.post(KIOSK, GOOD)
    assert limited.status_code == 429 and "Terlalu banyak" in limited.content.decode()
    assert SurveyResponse.counted.count() == 6


def test_a_web_answer_outside_a_completed_application_does_not_move_the_ikm(people):  # type: ignore[no-untyped-def]
    office = Office.objects.get(code="73.22")
    survey.survey_submit(office=office, channel=Channel.ONLINE, answers=WORST)
    survey.survey_submit(office=office, channel=Channel.KIOSK, answers=WORST)  # no registered device
    assert SurveyResponse.objects.count() == 2 and SurveyResponse.counted.count() == 0
    assert _ikm().respondents == 0 and _ikm().ikm is None
    # Paper forms typed in by staff, and the applicant's one-time link, still count.
    survey.survey_submit(office=office, channel=Channel.PAPER, answers=GOOD)
    assert _ikm().respondents == 1


def test_a_questionnaire_sent_twice_counts_once(people):  # type: ignore[no-untyped-def]
    """A double tap on "Kirim" (or a resend when the thanks page was slow): thanked twice, counted
    once. Each questionnaire the kiosk shows carries its own key, so the next visitor counts."""

    _, install = _register(people)
    tablet = _tablet(install)

    def key() -> str:
        return re.search(r'name="answer_key" value="([0-9a-f]{32})"', tablet.get(KIOSK).content.decode()).group(1)

    first = key()
    for _ in range(2):
        assert "Terima kasih" in tablet.post(KIOSK, {**GOOD, "answer_key": first}).content.decode()
    assert SurveyResponse.objects.count() == 1
    # A questionnaire refused (an answer missing) keeps its key: corrected, it counts.
    second = key()
    refused = tablet.post(KIOSK, {**{k: v for k, v in GOOD.items() if k != "u1"}, "answer_key": second})
    assert refused.status_code == 400
    assert "Terima kasih" in tablet.post(KIOSK, {**GOOD, "answer_key": second}).content.decode()
    assert SurveyResponse.objects.count() == 2 and _ikm().respondents == 2


def test_a_wrong_install_link_is_explained_in_the_readers_language():
    english = Client()
    english.cookies["django_language"] = "en"
    page = english.get("/survei/kios/73.22/pasang/salah/")
    assert page.status_code == 404
    assert "The kiosk installation link is not valid" in page.content.decode()
