"""An uploaded social-media export is never stuck: with the broker down the upload is kept and
the page answers; a job whose task was lost, or whose worker died mid-way, is taken up again by
the sweep (every five minutes) and finishes once; one that stops its worker every time fails
with a reason instead of running forever."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from satupintu.celery import app as celery_app
from satupintu.situation import ingestion
from satupintu.situation.models import ImportJob, ImportStatus, Item, Source, SourceKind
from tests.situation.test_room_views import _export

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(db) -> Source:  # type: ignore[no-untyped-def]
    return Source.objects.create(name="Pantauan media uji", kind=SourceKind.SOCIAL)


@pytest.fixture
def broker_down():  # type: ignore[no-untyped-def]
    """A real Redis broker address where nothing listens: publishing fails as in production."""
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url, conf.task_publish_retry, conf.broker_connection_max_retries)
    conf.task_always_eager, conf.broker_url, conf.task_publish_retry = False, "redis://127.0.0.1:9/0", False
    conf.broker_connection_max_retries = 0
    celery_app._pool = None  # connections are made for the broker set now
    yield
    (conf.task_always_eager, conf.broker_url, conf.task_publish_retry, conf.broker_connection_max_retries) = saved
    celery_app._pool = None


def test_an_upload_while_the_broker_is_down_is_kept_and_the_page_answers(  # type: ignore[no-untyped-def]
        client, room_people, source, broker_down, django_capture_on_commit_callbacks):
    client.force_login(room_people.pusat_admin)
    upload = SimpleUploadedFile("ekspor-medsos.jsonl", _export(timezone.now()), content_type="application/json")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/situasi/sumber/", {"action": "upload", "source": str(source.pk), "file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/situasi/impor/{job.pk}/"  # was a 500
    assert job.status == ImportStatus.QUEUED and bytes(job.data)
    page = client.get(f"/situasi/impor/{job.pk}/").content.decode()
    assert "Menunggu pekerja latar." in page and "berkas Anda sudah tersimpan" in page


def test_a_job_whose_task_was_lost_is_started_by_the_sweep(source):  # type: ignore[no-untyped-def]
    job = ImportJob.objects.create(source=source, filename="ekspor.jsonl", data=_export(timezone.now()))
    assert ingestion.resume_imports(timezone.now()) == 0  # just queued: its task is on the way
    assert ingestion.resume_imports(timezone.now() + timedelta(minutes=3)) == 1
    job.refresh_from_db()
    assert (job.status, job.done, job.added) == (ImportStatus.DONE, 3, 3)


def test_a_job_whose_worker_died_is_taken_up_again_and_counts_each_post_once(source):  # type: ignore[no-untyped-def]
    data = _export(timezone.now())
    job = ImportJob.objects.create(source=source, filename="ekspor.jsonl", data=data)
    # The first worker stored the first post, then was killed (no more heartbeats).
    from satupintu.situation.ingest.social import read_social_export
    from satupintu.situation.store import save_raw_items

    items, _ = read_social_export(data, "ekspor.jsonl")
    save_raw_items(source, items[:1])
    stopped = timezone.now() - timedelta(minutes=11)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, heartbeat_at=stopped, attempts=1,
                                               total=3, done=1, added=1)
    # The broker gives the dead worker's task back: a job with a live heartbeat is not taken twice.
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    assert ingestion.run_import_job(job.pk) == 0
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=stopped)
    assert ingestion.resume_imports() == 1
    job.refresh_from_db()
    assert (job.status, job.done, job.added, job.attempts) == (ImportStatus.DONE, 3, 3, 2)
    assert Item.objects.filter(source=source).count() == 3


def test_a_job_that_stops_its_worker_every_time_fails_with_a_reason(source):  # type: ignore[no-untyped-def]
    job = ImportJob.objects.create(source=source, filename="ekspor.jsonl", data=_export(timezone.now()))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, attempts=ingestion.IMPORT_ATTEMPTS,
                                               heartbeat_at=timezone.now() - timedelta(minutes=11))
    assert ingestion.resume_imports() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.finished_at is not None
    assert job.errors[-1].startswith("Impor terhenti 3 kali di tengah jalan")
    assert ingestion.resume_imports(timezone.now() + timedelta(hours=1)) == 0  # and is left alone after


def test_fetch_now_while_the_broker_is_down_still_makes_the_source_due(client, room_people, broker_down):  # type: ignore[no-untyped-def]
    feed = Source.objects.create(name="Umpan berita", kind=SourceKind.FEED, url="https://contoh.id/feed",
                                 next_fetch_at=timezone.now() + timedelta(hours=1))
    client.force_login(room_people.pusat_admin)
    response = client.post("/situasi/sumber/", {"action": "now", "source": str(feed.pk)})
    assert response.status_code == 302  # was a 500
    feed.refresh_from_db()
    assert feed.next_fetch_at <= timezone.now()  # the scheduled fetch takes it when the broker is back


def test_a_worker_whose_job_was_taken_up_again_stops_writing_it(source, monkeypatch):  # type: ignore[no-untyped-def]
    # A slow worker (not a dead one) passed the heartbeat limit and the sweep gave its job to another:
    # at its next batch it finds the job is no longer its attempt and stops, leaving the counts alone.
    from django.db.models import F

    job = ImportJob.objects.create(source=source, filename="ekspor.jsonl", data=_export(timezone.now()))
    real = ingestion.save_raw_items

    def taken_over_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        stored = real(*args, **kwargs)
        ImportJob.objects.filter(pk=job.pk).update(attempts=F("attempts") + 1, done=0, added=0)  # the other
        return stored

    monkeypatch.setattr(ingestion, "save_raw_items", taken_over_meanwhile)
    assert ingestion.run_import_job(job.pk) == 0
    job.refresh_from_db()
    assert (job.status, job.done, job.added, job.finished_at) == (ImportStatus.RUNNING, 0, 0, None)
