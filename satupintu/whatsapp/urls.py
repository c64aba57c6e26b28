from django.urls import path

from satupintu.whatsapp import simulator, views, webhook

urlpatterns = [
    path("webhooks/whatsapp", webhook.webhook, name="whatsapp_webhook"),
    path("petugas/wa/", views.inbox, name="whatsapp_inbox"),
    path("petugas/wa/kinerja/", views.stats, name="whatsapp_stats"),
    path("petugas/wa/pengaturan/", views.office_settings, name="whatsapp_office_settings"),
    path("petugas/wa/<int:pk>/", views.conversation, name="whatsapp_conversation"),
    path("petugas/wa/<int:pk>/aksi/", views.act, name="whatsapp_act"),
    path("petugas/wa/<int:pk>/berkas/<int:message_id>/", views.media, name="whatsapp_media"),
    path("wa-simulator/", simulator.page, name="whatsapp_simulator"),
    path("wa-simulator/pesan", simulator.messages, name="whatsapp_simulator_messages"),
    path("wa-simulator/kirim", simulator.send, name="whatsapp_simulator_send"),
    path("wa-simulator/graph/<path:path>", simulator.graph, name="whatsapp_simulator_graph"),
]
