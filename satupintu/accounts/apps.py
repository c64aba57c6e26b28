from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "satupintu.accounts"
    verbose_name = "Akun warga"

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed, password_changed, password_reset, password_set

        from satupintu.accounts import emails
        from satupintu.core.security_notices import on_password_changed

        # An address proved by one account (allauth's confirmation link or code) names no other.
        email_confirmed.connect(emails.on_email_confirmed, dispatch_uid="satupintu.accounts.release_email")
        # The owner hears of a new password (ASVS 2.2.3).
        for name, signal in (("changed", password_changed), ("set", password_set), ("reset", password_reset)):
            signal.connect(on_password_changed, dispatch_uid=f"satupintu.accounts.password_{name}_notice")
