from django.urls import path, register_converter

from satupintu.humas import views


class _Year:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:04d}"


register_converter(_Year, "humas_year")

urlpatterns = [
    path("humas/", views.office_page, name="humas_office"),
    path("humas/peringkat/", views.ranking, name="humas_ranking"),
    path("humas/peringkat.csv", views.ranking_export, {"fmt": "csv"}, name="humas_ranking_csv"),
    path("humas/peringkat.xlsx", views.ranking_export, {"fmt": "xlsx"}, name="humas_ranking_xlsx"),
    path("humas/target/", views.target_page, name="humas_targets"),
    path("humas/laporan-<humas_year:year>.pdf", views.report_pdf, name="humas_report"),
]
