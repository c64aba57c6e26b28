#!/usr/bin/env python3
"""Issued documents per second on one core: rendering, PDF/A, signing, verifying.

Four workloads on the same one-page letter (reportlab, embedded fonts, a QR code):
  (a) render        the letter, unsigned (the baseline)
  (b) +pdfa         render + documents.pdfa.finish_pdfa (PDF/A-2b)
  (c) +sign         render + PDF/A + LocalSigner (PAdES B-B, RSA-2048, the demo CA)
  (d) check         documents.checks.check_pdf of one signed file (the verification page)
Each is reported as documents/s and as a ratio to (a) measured in the same round; rounds
interleave the workloads so the machine's drift hits them alike, and medians are printed.
One process, pinned to one CPU with taskset when there is one: "per core".

    .venv/bin/python bench/signing.py [--rounds 3] [--duration 2] [--quick] [--output PATH]

No target from the issue: the figures say what signing costs against rendering.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"


def log(msg: str) -> None:
    print(f"[signing] {msg}", file=sys.stderr, flush=True)


def pin_to_one_cpu() -> str:
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) > 1:
        os.sched_setaffinity(0, {cpus[-1]})
        return f"pinned to CPU {cpus[-1]}"
    return "one CPU available"


def setup(tmp: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["SATUPINTU_DATA_DIR"] = tmp
    os.environ["DJANGO_SETTINGS_MODULE"] = "satupintu.settings"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def workloads(tmp: str) -> dict[str, Callable[[], object]]:
    from reportlab.pdfgen.canvas import Canvas

    from satupintu.documents import pdfa
    from satupintu.documents.checks import check_pdf
    from satupintu.documents.signers import LocalSigner, SignatureRequest

    fonts = pdfa.register_fonts()
    signer = LocalSigner(Path(tmp) / "signing")
    request = SignatureRequest(key_id="bench", signer_name="Budi Santoso, S.Ag.", signer_title="Kepala Kantor",
                               organization="Kantor Kementerian Agama Kabupaten Bogor", reason="Penerbitan",
                               location="Cibinong")

    def render() -> bytes:
        buffer = io.BytesIO()
        canvas = Canvas(buffer, initialFontName=fonts["regular"])
        canvas.setFont(fonts["bold"], 14)
        canvas.drawCentredString(297, 780, "KEMENTERIAN AGAMA REPUBLIK INDONESIA")
        canvas.setFont(fonts["bold"], 12)
        canvas.drawCentredString(297, 740, "SURAT KETERANGAN")
        canvas.setFont(fonts["regular"], 11)
        for line in range(24):
            canvas.drawString(72, 700 - line * 16, f"Baris {line + 1}: yang bertanda tangan di bawah ini menerangkan "
                                                   "bahwa pemohon telah memenuhi persyaratan.")
        pdfa.draw_qr(canvas, "https://satupintu.kemenag.go.id/verifikasi/K7Q2-M9XD", 460, 60, 72)
        canvas.drawString(300, 120, "Budi Santoso, S.Ag.")
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()

    def finished() -> bytes:
        return pdfa.finish_pdfa(render(), title="Surat Keterangan", author="Kantor Kemenag Kab. Bogor",
                                subject="Surat keterangan", keywords="kemenag")

    def signed() -> bytes:
        return signer.sign(finished(), request)

    sample = signed()  # also creates the CA and the signer's certificate outside the timing
    roots = [signer.ca.root_cert]
    if not check_pdf(sample, roots=roots).ok:
        raise SystemExit("the signed sample does not verify; refusing to time a broken path")

    return {"render": render, "render+pdfa": finished, "render+pdfa+sign": signed,
            "check_pdf": lambda: check_pdf(sample, roots=roots)}


def rate(work: Callable[[], object], duration: float) -> float:
    """Documents per second over at least ``duration`` seconds (and at least 3 documents)."""
    done, start = 0, time.perf_counter()
    while True:
        work()
        done += 1
        elapsed = time.perf_counter() - start
        if elapsed >= duration and done >= 3:
            return done / elapsed


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--duration", type=float, default=2.0, help="seconds per workload per round")
    p.add_argument("--quick", action="store_true", help="1 round of 0.5 s each (a smoke check)")
    p.add_argument("--output", type=Path, default=RESULTS_DIR / "signing.json")
    ns = p.parse_args(argv)
    rounds, duration = (1, 0.5) if ns.quick else (ns.rounds, ns.duration)
    pinning = pin_to_one_cpu()
    with tempfile.TemporaryDirectory(prefix="bench-signing-") as tmp:
        setup(tmp)
        jobs = workloads(tmp)
        for work in jobs.values():  # warm-up: imports, font caches
            work()
        per_round: list[dict[str, float]] = []
        for number in range(1, rounds + 1):
            measured = {name: rate(work, duration) for name, work in jobs.items()}
            per_round.append(measured)
            log(f"round {number}/{rounds}: " + ", ".join(f"{k} {v:.1f}/s" for k, v in measured.items()))
    median = {name: statistics.median(r[name] for r in per_round) for name in per_round[0]}
    ratios = {name: statistics.median(r[name] / r["render"] for r in per_round) for name in per_round[0]}
    print(f"\nIssued documents per second on one core ({pinning}; median of {rounds} rounds of {duration:g} s)")
    print(f"{'workload':<20}{'docs/s':>10}{'x render':>10}")
    for name in median:
        print(f"{name:<20}{median[name]:>10.1f}{ratios[name]:>10.2f}")
    result = {"config": {"rounds": rounds, "duration_s": duration, "pinning": pinning,
                         "python": platform.python_version(), "machine": platform.machine()},
              "docs_per_s": median, "ratio_to_render": ratios, "rounds": per_round}
    ns.output.parent.mkdir(parents=True, exist_ok=True)
    ns.output.write_text(json.dumps(result, indent=2) + "\n")
    log(f"results in {ns.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
