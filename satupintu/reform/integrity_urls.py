"""The Zona Integritas evidence pack (reform/integrity_views.py)."""

from django.urls import path

from satupintu.reform import integrity_views

urlpatterns = [
    path("zona-integritas/", integrity_views.index, name="zi_index"),
    path("zona-integritas/<str:code>/", integrity_views.pack, name="zi_pack"),
    path("zona-integritas/<str:code>/<str:year>.pdf", integrity_views.pack_pdf, name="zi_pdf"),
    path("zona-integritas/<str:code>/<str:year>.zip", integrity_views.pack_zip, name="zi_zip"),
]
