from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "satupintu.accounts"
    verbose_name = "Akun warga"

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed

        from satupintu.accounts import emails

        # An address proved by one account (allauth's confirmation link or code) names no other.
        email_confirmed.connect(emails.on_email_confirmed, dispatch_uid="satupintu.accounts.release_email")
