"""The production settings, unchanged, with a URLconf that adds the bare baseline view.

Started with DJANGO_SETTINGS_MODULE=bench_site.settings and bench/ on PYTHONPATH
(bench/run_bench.py does both).
"""

from satupintu.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench_site.urls"
