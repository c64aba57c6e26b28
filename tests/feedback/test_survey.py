"""Who answers the survey: the applicant once per completed application, walk-ins at the
kiosk (with a honeypot and a rate limit); bad answers are refused, nothing counted twice."""

import re

import pytest
from django.core import mail
from django.test import Client

from satupintu.feedback.models import SurveyResponse
from satupintu.feedback.survey import application_for_invitation, invitation_token
from satupintu.services.applications import application_upload_product
from satupintu.services.workflow import application_transition
from tests.conftest import upload

pytestmark = pytest.mark.django_db
GOOD = {f"u{i}": "3" for i in range(1, 10)}


def _completed(submit, people):  # type: ignore[no-untyped-def]
    app = submit()
    app = application_transition(app, "verify", user=people.fo_lutra)
    app = application_transition(app, "process", user=people.pendma_lutra)
    application_upload_product(app, user=people.pendma_lutra, upload=upload("sk.pdf"))
    return application_transition(app, "complete", user=people.pendma_lutra)


def test_completion_message_and_tracking_page_invite_to_the_survey(submit, people):
    app = _completed(submit, people)
    from satupintu.notifications.models import OutboxMessage

    # The token is signed with the time it was made, so two of them differ once a second has
    # passed: each link is checked for what it opens, not compared as text.
    body = OutboxMessage.objects.get(subject__endswith="selesai").body
    assert application_for_invitation(re.search(r"/survei/([^/\s]+)/", body).group(1)) == app
    c = Client()
    c.post(f"/lacak/{app.tracking_code}/", {"phone_last4": "7890"})
    page = c.get(f"/lacak/{app.tracking_code}/").content.decode()
    assert application_for_invitation(re.search(r'href="/survei/([^/"]+)/"', page).group(1)) == app
    del mail.outbox[:]


def test_one_answer_per_application(submit, people):
    app = _completed(submit, people)
    c = Client()
    url = f"/survei/{invitation_token(app)}/"
    page = c.get(url).content.decode()
    assert "Persyaratan" in page and "Sangat sesuai" in page and "Dikelola dengan baik" in page
    thanks = c.post(url, {**GOOD, "sex": "P", "age_group": "30-39"}).content.decode()
    assert "Terima kasih" in thanks
    # Not a dead end: back to the application, or home (it ended on the office's bare name).
    assert f'href="/lacak/{app.tracking_code}/">Kembali ke permohonan</a>' in thanks and 'href="/">Ke beranda' in thanks
    response = SurveyResponse.objects.get()
    assert response.application == app and response.service == app.service and response.unit == app.unit
    again = c.post(url, GOOD)
    assert "sudah diisi" in again.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_survey_is_closed_before_completion_and_for_forged_links(submit):
    app = submit()
    c = Client()
    response = c.post(f"/survei/{invitation_token(app)}/", GOOD)
    assert response.status_code == 400 and "setelah permohonan selesai" in response.content.decode()
    assert c.get("/survei/palsu/").status_code == 404
    assert SurveyResponse.objects.count() == 0


@pytest.mark.parametrize("bad", [{"u3": "5"}, {"u3": "0"}, {"u3": ""}, {"u3": "tiga"}, {"u9": None}])
def test_out_of_range_or_missing_answers(bad):
    data = {**GOOD, **bad}
    data = {k: v for k, v in data.items() if v is not None}
    response = Client().post("/survei/kios/73.22/", data)
    assert response.status_code == 400 and "Pilih salah satu jawaban untuk unsur" in response.content.decode()
    assert SurveyResponse.objects.count() == 0


def test_kiosk_takes_walk_ins_with_service_and_profile():
    c = Client()
    page = c.get("/survei/kios/73.22/").content.decode()
    assert "Legalisir Ijazah Madrasah" in page
    c.post("/survei/kios/73.22/", {**GOOD, "service": "legalisir-ijazah-madrasah", "education": "S1",
                                   "comment": "Ruang tunggu panas"})
    r = SurveyResponse.objects.get()
    assert r.channel == "kiosk" and r.office.code == "73.22" and r.unit.code == "pendma" and r.education == "S1"
    bad_profile = c.post("/survei/kios/73.22/", {**GOOD, "education": "PhD"})
    assert bad_profile.status_code == 400 and SurveyResponse.objects.count() == 1


def test_kiosk_honeypot_and_rate_limit():
    c = Client()
    c.post("/survei/kios/73.22/", {**GOOD, "website": "http://spam.example"})
    assert SurveyResponse.objects.count() == 0  # a bot filled the hidden field: thanked, not counted
    for _ in range(6):
        c.post("/survei/kios/73.22/", GOOD)
    limited = c.post("/survei/kios/73.22/", GOOD)
    assert limited.status_code == 429 and "Terlalu banyak" in limited.content.decode()
    assert SurveyResponse.objects.count() == 6


def test_kiosk_unknown_office():
    assert Client().get("/survei/kios/99.99/").status_code == 404


def test_wrong_answers_are_named_in_the_language_asked():
    english = Client()
    english.cookies["django_language"] = "en"
    response = english.post("/survei/kios/73.22/", {**GOOD, "u3": "5", "u5": "0"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose one of the answers for &#x27;Completion time&#x27;." in page
    assert "Belum benar" not in page and "Waktu penyelesaian" not in page
    # The summary over them all (an import report, the API) reads in the reader's language too.
    from django.utils import translation

    from satupintu.core.errors import ValidationErrors
    from satupintu.feedback.survey import clean_answers

    with pytest.raises(ValidationErrors) as refused:
        clean_answers({**GOOD, "u3": "5", "u5": "0"})
    with translation.override("en"):
        assert refused.value.message == ("Answer every element with a value from 1 to 4. "
                                         "Not yet right: Completion time, Service product as specified.")
    with translation.override("id"):
        assert refused.value.message.endswith("Belum benar: Waktu penyelesaian, Produk spesifikasi jenis pelayanan.")


def test_an_answer_counts_on_the_offices_day_not_jakartas(monkeypatch):
    # 00:30 WIT on 1 January 2027 is 22:30 WIB on 31 December: the answer is the new year's.
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from satupintu.organization.models import Office

    papua = Office.objects.filter(timezone="Asia/Jayapura", level="kankemenag").first()
    moment = datetime(2027, 1, 1, 0, 30, tzinfo=ZoneInfo("Asia/Jayapura"))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    Client().post(f"/survei/kios/{papua.code}/", GOOD)
    assert SurveyResponse.objects.get().answered_on == date(2027, 1, 1)  # was 2026-12-31


def test_the_cli_report_s_default_year_is_the_offices(monkeypatch, capsys):
    """`satupintu skm report` without dates: from 1 January of the office's year to its today. At
    00:30 WIT on 1 January 2027 it read Jakarta's 2026 and missed that morning's answers."""
    import json
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from satupintu.cli import main as cli_main
    from satupintu.organization.models import Office

    papua = Office.objects.filter(timezone="Asia/Jayapura", level="kankemenag").first()
    monkeypatch.setattr(timezone, "now", lambda: datetime(2027, 1, 1, 0, 30, tzinfo=ZoneInfo("Asia/Jayapura")))
    SurveyResponse.objects.create(office=papua, channel="paper", answered_on=date(2027, 1, 1),
                                  **{k: int(v) for k, v in GOOD.items()})  # a paper answer of that morning
    assert cli_main(["skm", "report", "--office", papua.code, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["respondents"] == 1
