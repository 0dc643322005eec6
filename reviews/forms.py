"""The review form of the storefront."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_BODY_LENGTH, RATINGS
from .services import MAX_PHOTOS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"), coerce=int, choices=[(n, "★" * n) for n in reversed(RATINGS)], widget=forms.RadioSelect
    )
    body = forms.CharField(label=_("Review"), max_length=MAX_BODY_LENGTH, widget=forms.Textarea(attrs={"rows": 5}))
    photos = MultipleFileField(
        label=_("Photos"), required=False, help_text=_("Up to %(max)d photos (JPEG, PNG, WebP).") % {"max": MAX_PHOTOS}
    )
