from django.urls import path

from satupintu.reform import views

urlpatterns: list = [
    path("terobosan/", views.breakthrough_list, name="reform_list"),
    path("terobosan/baru/", views.breakthrough_new, name="reform_new"),
    path("terobosan/<int:pk>/", views.breakthrough_detail, name="reform_detail"),
    path("terobosan/<int:pk>/ubah/", views.breakthrough_edit, name="reform_edit"),
    path("terobosan/<int:pk>/bukti/", views.evidence_add, name="reform_evidence_add"),
    path("terobosan/<int:pk>/bukti/<int:evidence_id>/", views.evidence_download, name="reform_evidence"),
    path("rakor/keputusan/<int:pk>/terobosan/", views.call_create, name="reform_call_create"),
]
