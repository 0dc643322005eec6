"""The admin's CSV upload form, shared by every import (stock, shipments, shipping surcharges)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CsvUploadForm(forms.Form):
    """A CSV file of at most 1 MB in UTF-8 (with or without BOM, as Excel saves it): ``text`` and ``name``."""

    file = forms.FileField(label=_("CSV file"))

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > 1_000_000:
                raise forms.ValidationError(_("The file is larger than 1 MB."))
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("Save the file as UTF-8 CSV.")) from None
            data["name"] = upload.name
        return data
