from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic.base import RedirectView

from satupintu.accounts import inapas
from satupintu.accounts import views as accounts_views
from satupintu.api.api import api
from satupintu.bridge import simulator as bridge_simulator
from satupintu.bridge import views as bridge_views
from satupintu.citizen import views as citizen_views
from satupintu.core import auth_views as core_auth_views
from satupintu.core import passkeys, reading_language
from satupintu.core import views as core_views
from satupintu.documents import views as documents_views
from satupintu.feedback.views import dialogues as feedback_dialogues
from satupintu.feedback.views import officer_reports, public_reports
from satupintu.feedback.views import reports as feedback_reports
from satupintu.feedback.views import survey as feedback_survey
from satupintu.field import views as field_views
from satupintu.integrations import views as integrations_views
from satupintu.rakor import views as rakor_views
from satupintu.services.views import account, assisted, office_settings, officer, public
from satupintu.situation import response_views, warning_views
from satupintu.situation import views as situation_views

urlpatterns = [
    path("health/live", core_views.live, name="health_live"),
    path("health/ready", core_views.ready, name="health_ready"),
    path("metrics", core_views.metrics, name="metrics"),
    path("", public.home, name="home"),
    path("layanan/", public.service_list, name="service_list"),
    path("layanan/aplikasi/<slug:code>/", bridge_views.app_detail, name="external_app"),
    path("layanan/<slug:slug>/", public.service_detail, name="service_detail"),
    path("layanan/<slug:slug>/ajukan/", public.apply, name="apply"),
    path("layanan/<slug:slug>/kantor/", public.service_office, name="service_office"),
    path("kantor/", public.office_tree, name="office_tree"),
    path("kantor/<str:code>/", public.office_detail, name="office_detail"),
    path("kantor/<str:code>/ikm/", feedback_reports.public_office_index, name="office_ikm"),
    path("survei/kios/<str:code>/", feedback_survey.kiosk, name="survey_kiosk"),
    path("survei/kios/<str:code>/pasang/<str:token>/", feedback_survey.kiosk_install, name="survey_kiosk_install"),
    path("survei/<str:token>/", feedback_survey.survey_for_application, name="survey_application"),
    path("pengaduan/", public_reports.start, name="report_start"),
    path("pengaduan/<str:code>/", public_reports.track, name="report_track"),
    path("pengaduan/<str:code>/tambah/", public_reports.add_information, name="report_add"),
    path("pengaduan/<str:code>/konfirmasi/", public_reports.confirm, name="report_confirm"),
    path("aspirasi/", public_reports.board, name="report_board"),
    path("ngopas/", feedback_dialogues.public_list, name="dialogues_public"),
    path("petugas/ngopas/", feedback_dialogues.manage, name="dialogues_manage"),
    path("petugas/ngopas/<int:pk>/", feedback_dialogues.record, name="dialogue_record"),
    path("lacak/", public.track_form, name="track_form"),
    # Before lacak/<code>/: a case in another app, followed without an account.
    path("lacak/aplikasi-lain/", bridge_views.follow, name="external_follow"),
    path("lacak/aplikasi-lain/<int:pk>/", bridge_views.external_case, name="external_case"),
    path("lacak/<str:code>/", public.track, name="track"),
    path("lacak/<str:code>/lengkapi/", public.track_complete, name="track_complete"),
    path("lacak/<str:code>/batalkan/", public.track_withdraw, name="track_withdraw"),
    path("lacak/<str:code>/bukti.pdf", public.receipt, name="receipt"),
    path("lacak/<str:code>/produk/<int:doc_id>/", public.product_download, name="product_download"),
    path("petugas/", officer.queue, name="officer_queue"),
    path("petugas/dokumen/", documents_views.queue, name="documents_queue"),
    path("petugas/dokumen/penandatangan/", documents_views.office_signing, name="office_signing"),
    path("petugas/dokumen/<int:pk>/", documents_views.detail, name="document_detail"),
    path("petugas/dokumen/<int:pk>/berkas.pdf", documents_views.pdf, name="document_pdf"),
    path("petugas/permohonan/<str:code>/dokumen/", documents_views.prepare, name="document_prepare"),
    path("verifikasi/", documents_views.verify_home, name="verify_home"),
    path("verifikasi/<str:token>", documents_views.verify_token, name="verify_token"),
    path("verifikasi/<str:token>/", documents_views.verify_token),
    path("petugas/permohonan/<str:code>/", officer.detail, name="officer_detail"),
    path("petugas/permohonan/<str:code>/aksi/", officer.act, name="officer_act"),
    path("petugas/permohonan/<str:code>/berkas/<int:doc_id>/", officer.document_download, name="officer_document"),
    path("petugas/bantu/", assisted.assist, name="assist"),
    path("petugas/bantu/<str:code>/", assisted.done, name="assist_done"),
    path("petugas/bantu/<str:code>/bukti.pdf", assisted.receipt, name="assist_receipt"),
    path("petugas/skm/", feedback_reports.report, name="skm_report"),
    # Complaints, aspirations and questions: the back office
    path("petugas/pengaduan/", officer_reports.queue, name="report_queue"),
    path("petugas/pengaduan/<str:code>/", officer_reports.detail, name="report_detail"),
    path("petugas/pengaduan/<str:code>/aksi/", officer_reports.act, name="report_act"),
    path("petugas/pengaduan/<str:code>/lampiran/<int:attachment_id>/", officer_reports.attachment,
         name="report_attachment"),
    path("petugas/kantor/", office_settings.settings_page, name="office_settings"),
    path("petugas/kantor/layanan/<slug:slug>/", office_settings.service_requirements, name="office_service_requirements"),
    path("petugas/kantor/kios/", office_settings.kiosks_page, name="office_kiosks"),
    path("petugas/integrasi/", integrations_views.page, name="integrations"),
    # Situation Room
    path("situasi/", situation_views.room, name="situation_room"),
    path("situasi/isu/<int:pk>/", situation_views.issue_detail, name="situation_issue"),
    path("situasi/isu/<int:pk>/aksi/", situation_views.issue_act, name="situation_issue_act"),
    path("situasi/peringatan/", situation_views.alerts, name="situation_alerts"),
    path("situasi/peringatan/<int:pk>/", situation_views.alert_detail, name="situation_alert"),
    path("situasi/tanggapan/", response_views.cases, name="situation_cases"),
    path("situasi/tanggapan/baru/", response_views.case_open, name="situation_case_open"),
    path("situasi/tanggapan/<int:pk>/", response_views.case_detail, name="situation_case"),
    path("situasi/tanggapan/<int:pk>/bukti/<int:evidence_id>/", response_views.evidence_download,
         name="situation_case_evidence"),
    path("situasi/langganan/", situation_views.rules, name="situation_rules"),
    path("situasi/sumber/", situation_views.sources, name="situation_sources"),
    path("situasi/impor/<int:pk>/", situation_views.import_status, name="situation_import"),
    path("situasi/ringkasan.pdf", situation_views.brief_pdf, name="situation_brief"),
    path("situasi/kewaspadaan/", warning_views.warning_map, name="situation_warning"),
    path("situasi/kewaspadaan/<str:code>/", warning_views.warning_region, name="situation_warning_region"),
    # Field reports (issue #15): the reporters' installable app and the Kankemenag's queue
    path("lapangan/", field_views.app, name="field_app"),
    path("lapangan/sw.js", field_views.service_worker, name="field_sw"),
    path("lapangan/manifest.webmanifest", field_views.manifest, name="field_manifest"),
    path("lapangan/api/laporan", field_views.api_reports, name="field_api_reports"),
    path("lapangan/api/kecamatan/<str:regency>/", field_views.api_districts, name="field_api_districts"),
    path("petugas/lapangan/", field_views.queue, name="field_queue"),
    path("petugas/lapangan/<int:pk>/", field_views.detail, name="field_detail"),
    path("petugas/lapangan/<int:pk>/aksi/", field_views.act, name="field_act"),
    path("petugas/lapangan/<int:pk>/foto/<int:photo_id>/", field_views.photo, name="field_photo"),
    # Rakor: coordination meetings, their decisions and follow-up actions
    path("rakor/", rakor_views.meeting_list, name="rakor_list"),
    path("rakor/baru/", rakor_views.meeting_create, name="rakor_create"),
    path("rakor/papan/", rakor_views.my_board, name="rakor_board"),
    path("rakor/hadir/<str:token>/", rakor_views.attend, name="rakor_attend"),
    path("rakor/<int:pk>/", rakor_views.meeting_detail, name="rakor_meeting"),
    path("rakor/<int:pk>/aksi/", rakor_views.meeting_act, name="rakor_meeting_act"),
    path("rakor/<int:pk>/undangan.ics", rakor_views.meeting_ics, name="rakor_ics"),
    path("rakor/<int:pk>/notulen.pdf", rakor_views.meeting_minutes_pdf, name="rakor_minutes_pdf"),
    path("rakor/<int:pk>/presensi.csv", rakor_views.meeting_attendance_csv, name="rakor_attendance_csv"),
    path("rakor/<int:pk>/dokumen/<int:doc_id>/", rakor_views.document_download, name="rakor_document"),
    path("rakor/keputusan/<int:pk>/", rakor_views.decision_board, name="rakor_decision"),
    path("rakor/keputusan/<int:pk>/adopsi/", rakor_views.decision_adopt, name="rakor_adopt"),
    path("rakor/keputusan/<int:pk>/tindak-lanjut/", rakor_views.action_add, name="rakor_action_add"),
    path("rakor/tindak-lanjut/<int:pk>/", rakor_views.action_detail, name="rakor_action"),
    path("rakor/tindak-lanjut/<int:pk>/bukti/<int:update_id>/", rakor_views.evidence_download,
         name="rakor_evidence"),
    path("akun/", citizen_views.beranda, name="my_applications"),
    path("akun/klaim/", citizen_views.claim, name="citizen_claim"),
    path("akun/klaim/kode/", citizen_views.claim_code, name="citizen_claim_code"),
    path("akun/notifikasi/", citizen_views.save_preferences, name="citizen_preferences"),
    path("akun/data-saya/", citizen_views.my_data, name="citizen_my_data"),
    path("akun/berkas/", citizen_views.papers, name="citizen_papers"),
    path("akun/berkas/<int:pk>/hapus/", citizen_views.paper_remove, name="citizen_paper_remove"),
    path("daftar/", account.signup, name="signup"),
    path("daftar/aktifkan/<str:uidb64>/<str:token>/", account.activate, name="signup_activate"),
    path("masuk/", auth_views.LoginView.as_view(), name="login"),
    # Staff second factor (core/staff_security.py: a TOTP app or a passkey) and the password reset by e-mail
    path("masuk/kode/", core_auth_views.verify, name="otp_verify"),
    path("akun/keamanan/", core_auth_views.enrol, name="otp_enrol"),
    path(passkeys.URL_PREFIX, include(passkeys.otp_webauthn_urls)),  # passkeys: django-otp-webauthn's endpoints
    path("masuk/lupa/", core_auth_views.PasswordReset.as_view(), name="password_reset"),
    path("masuk/lupa/terkirim/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("masuk/atur-ulang/<uidb64>/<token>/", core_auth_views.PasswordResetConfirm.as_view(),
         name="password_reset_confirm"),
    path("masuk/atur-ulang/selesai/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    # Citizens' sign-in (django-allauth): phone + code, e-mail, INApas; /masuk/ above stays the staff's.
    path("akun/masuk/", RedirectView.as_view(url="/akun/login/", query_string=True)),
    path("akun/kode-demo/", accounts_views.demo_codes, name="demo_codes"),
    # INApas' callback with our adapter (a provider that is down gets the clear error page).
    path("akun/oidc/<str:provider_id>/login/callback/", inapas.callback, name="inapas_callback"),
    path("akun/", include("allauth.urls")),
    path("i18n/setlang/", reading_language.set_language, name="set_language"),  # the choice kept for e-mails
    path("", include("satupintu.whatsapp.urls")),
    path("", include("satupintu.humas.urls")),
    path("", include("satupintu.reform.urls")),
    path("", include("satupintu.reform.integrity_urls")),
    # The demo's stand-in of SIMKAH (404 unless BRIDGE_SIMULATOR is on).
    path("bridge-simulator/simkah/api/status/<str:reference>", bridge_simulator.status, name="bridge_simulator"),
    path("favicon.ico", RedirectView.as_view(url=static("satupintu/favicon.svg"), permanent=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

# A lost database connection is a 503 with a clear page (or JSON error), never a bare 500.
handler500 = "satupintu.core.outage.server_error"
