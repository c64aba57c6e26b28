"""Forms of the documents pages: the public check, and the officers' and signer's actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from satupintu.core.forms import DomainForm


class TokenForm(DomainForm):
    token = forms.CharField(label=_("Token dokumen"), max_length=30,
                            help_text=_("12 karakter di bawah kode QR, mis. K7QP-2M9X-WD4H"),
                            widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                          "style": "max-width:16em"}))


class CheckFileForm(DomainForm):
    pdf = forms.FileField(label=_("Berkas PDF yang ingin diperiksa"), allow_empty_file=True,
                          help_text=_("Berkas tidak disimpan; hanya diperiksa tanda tangan dan sidiknya."),
                          widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}))

    def clean_pdf(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data.get("pdf")
        if upload is None:
            raise forms.ValidationError(_("Pilih berkas PDF yang ingin diperiksa."))
        return upload


class SignForm(DomainForm):
    """The signer's explicit act: a box to tick, and the authenticator code in production."""

    confirm = forms.BooleanField(label=_("Saya telah membaca dokumen ini dan menandatanganinya secara elektronik."),
                                 required=True)
    code = forms.CharField(label=_("Kode autentikator"), max_length=12, required=False,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                                         "style": "max-width:10em"}))

    passphrase = forms.CharField(label=_("Passphrase tanda tangan elektronik (BSrE)"), max_length=128, required=False,
                                 strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "off"}))

    def __init__(self, *args, ask_code: bool = False, ask_passphrase: bool = False, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if not ask_code:
            del self.fields["code"]
        if not ask_passphrase:
            del self.fields["passphrase"]

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean() or {}
        if not data.get("confirm"):
            self.add_error("confirm", _("Centang pernyataan untuk menandatangani."))
        return data


class NoteForm(DomainForm):
    note = forms.CharField(label=_("Yang perlu diperbaiki"), max_length=300, required=True,
                           widget=forms.Textarea(attrs={"rows": 3}))


class RevokeForm(DomainForm):
    reason = forms.CharField(label=_("Alasan pencabutan (tampil di halaman verifikasi)"), max_length=300,
                             required=True, widget=forms.Textarea(attrs={"rows": 3}))


class OfficeSigningForm(DomainForm):
    """Who signs the office's documents, and how its letters are numbered and dated."""

    letter_code = forms.CharField(label=_("Kode kantor pada nomor surat"), max_length=30, required=False,
                                  help_text=_("mis. Kk.21.14; kosong: kode wilayah kantor"))
    city = forms.CharField(label=_("Kota pada tanggal surat"), max_length=80, required=False)
    signer: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Penanda tangan"), queryset=None, required=False,  # type: ignore[arg-type]
                                    empty_label=_("Kepala kantor"),
                                    error_messages={"invalid_choice": _("Pilih pegawai kantor ini.")})
    signer_title = forms.CharField(label=_("Jabatan penanda tangan"), max_length=200, required=False,
                                   help_text=_("mis. Plh. Kepala Kantor Kementerian Agama Kabupaten Luwu Utara"))
    signer_nik = forms.CharField(label=_("NIK penanda tangan (untuk BSrE)"), max_length=16, required=False,
                                 widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))

    def __init__(self, staff, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        field = self.fields["signer"]
        field.queryset = staff  # type: ignore[attr-defined]
        field.label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[attr-defined]
