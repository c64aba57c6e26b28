"""Official records cannot be deleted (or changed) in the Django admin, nor staff accounts, nor the
product's own Situation Room sources, nor a bridged app people follow cases in: each took history
with it (core/admin_records.py). What may go still goes: a citizen's account, a news feed."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from satupintu.bridge.models import ExternalApp, ExternalCase
from satupintu.documents.models import IssuedDocument
from satupintu.feedback import reports
from satupintu.feedback.models import Report, SurveyResponse
from satupintu.organization.models import Office, StaffRole
from satupintu.situation.models import Source, SourceKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client() -> Client:
    root = get_user_model().objects.create_superuser("akar", "akar@contoh.id", "sandi-akar-123")
    c = Client()
    c.force_login(root)
    return c


def _delete(client: Client, obj) -> int:  # type: ignore[no-untyped-def]
    """What the admin's delete page answers (GET: the confirmation; POST: the delete itself)."""
    meta = obj._meta
    url = f"/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/delete/"
    shown = client.get(url).status_code
    done = client.post(url, {"post": "yes"}).status_code
    return shown if shown != 200 else done


def _bulk_delete_offered(client: Client, model) -> bool:  # type: ignore[no-untyped-def]
    page = client.get(f"/admin/{model._meta.app_label}/{model._meta.model_name}/")
    assert page.status_code == 200
    return 'value="delete_selected"' in page.content.decode()


def test_a_complaint_a_survey_answer_and_a_sealed_receipt_stay(admin_client, submit):
    from satupintu.documents.issuing import receipt_document

    report = reports.report_submit(reports.ReportSubmission(
        kind="complaint", category="service_quality", office="73.22", title="Layanan lambat",
        text="Legalisir ijazah sudah dua minggu belum selesai.", name="Budi", email="budi@contoh.id"))
    answer = SurveyResponse.objects.create(office=Office.objects.get(code="73.22"), channel="paper",
                                           answered_on=date(2026, 11, 2), **{f"u{i}": 3 for i in range(1, 10)})
    receipt = receipt_document(submit())
    assert receipt is not None
    for obj in (report, answer, receipt):
        assert _delete(admin_client, obj) == 403, type(obj).__name__
        assert not _bulk_delete_offered(admin_client, type(obj))
        assert type(obj).objects.filter(pk=obj.pk).exists()
    # ... and the check page still knows the receipt
    assert Client().get(f"/verifikasi/{receipt.token}").status_code == 200
    assert Report.objects.filter(pk=report.pk).exists() and IssuedDocument.objects.filter(pk=receipt.pk).exists()


def test_a_staff_account_is_deactivated_not_deleted_a_citizen_s_may_go(admin_client):
    users = get_user_model()
    staff = users.objects.create_user("petugas.hapus", "p@contoh.id", "sandi-uji-123")
    StaffRole.objects.create(user=staff, office=Office.objects.get(code="73.22"), role="front_office")
    citizen = users.objects.create_user("warga.hapus", "w@contoh.id", "sandi-uji-123")
    assert not _bulk_delete_offered(admin_client, users)
    assert _delete(admin_client, staff) == 403 and users.objects.filter(pk=staff.pk).exists()
    assert _delete(admin_client, citizen) == 302 and not users.objects.filter(pk=citizen.pk).exists()


def test_the_room_s_own_sources_stay_a_news_feed_may_go(admin_client):
    internal = Source.objects.create(name="Pengaduan dan aspirasi (internal)", kind=SourceKind.INTERNAL)
    field = Source.objects.create(name="Laporan lapangan", kind=SourceKind.FIELD)
    feed = Source.objects.create(name="Berita daerah", kind=SourceKind.FEED, url="https://berita.example/rss")
    assert _delete(admin_client, internal) == 403 and _delete(admin_client, field) == 403
    assert _delete(admin_client, feed) == 302 and not Source.objects.filter(pk=feed.pk).exists()
    assert Source.objects.filter(pk__in=[internal.pk, field.pk]).count() == 2


def test_a_bridged_app_with_followed_cases_stays(admin_client):
    followed = ExternalApp.objects.create(code="simkah-uji", name="SIMKAH uji", short_name="SIMKAH")
    ExternalCase.objects.create(app=followed, reference="NK-1", phone="+6281234567890")
    unused = ExternalApp.objects.create(code="lain-uji", name="Aplikasi lain", short_name="Lain")
    assert _delete(admin_client, followed) == 403 and ExternalCase.objects.filter(app=followed).exists()
    assert _delete(admin_client, unused) == 302


def test_a_humas_channel_that_counted_stays_and_its_posts_and_figures_are_not_edited(admin_client):
    """Deleting a channel took its posts out of every past month (a published scorecard changed):
    the admin deletes only a channel that never counted; posts and monthly figures are view-only."""
    from satupintu.humas.channels import channel_register
    from satupintu.humas.figures import refresh_month
    from satupintu.humas.imports import social_import
    from satupintu.humas.models import Channel, MonthlyFigure, SocialPost

    lutra = Office.objects.get(code="73.22")
    counted = channel_register(office=lutra, platform="facebook", handle="kemenaglutra")
    social_import(channel=counted, filename="x.csv", data=(
        "ID Postingan,ID Halaman,Nama Halaman,Judul,Deskripsi,Waktu publikasi,Tautan permanen,Jenis postingan,"
        "Tayangan,Jangkauan,Reaksi,Komentar,Dibagikan\n"
        "1_1,1,Kemenag Luwu Utara,,Teks,15/06/2026 10:00,https://www.facebook.com/x/posts/1,Foto,1,1,1,0,0\n").encode())
    refresh_month(date(2026, 6, 1))
    unused = channel_register(office=lutra, platform="instagram", handle="kemenaglutra")
    assert _delete(admin_client, counted) == 403 and Channel.objects.filter(pk=counted.pk).exists()
    assert not _bulk_delete_offered(admin_client, Channel)
    post, figure = SocialPost.objects.get(), MonthlyFigure.objects.get(office=lutra, month=date(2026, 6, 1))
    assert _delete(admin_client, post) == 403 and _delete(admin_client, figure) == 403
    assert _delete(admin_client, unused) == 302 and not Channel.objects.filter(pk=unused.pk).exists()
