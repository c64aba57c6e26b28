from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "satupintu.accounts"
    verbose_name = "Akun warga"
