"""Staff moderate reviews: hide one with a reason (it leaves the page and the rating), or show it again."""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from . import services
from .exceptions import InvalidReview
from .models import Review


class ReviewModerationForm(forms.ModelForm):
    hide = forms.BooleanField(label=_("Hidden"), required=False)
    reason = forms.CharField(label=_("Reason for hiding"), max_length=200, required=False)

    class Meta:
        model = Review
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hide"].initial = self.instance.is_hidden
        self.fields["reason"].initial = self.instance.hidden_reason

    def clean(self):
        data = super().clean()
        if data.get("hide") and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why the review is hidden."))
        return data


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    form = ReviewModerationForm
    list_display = ["created_at", "product", "user", "rating", "has_photos", "is_hidden"]
    list_filter = ["is_hidden", "rating", "has_photos"]
    search_fields = ["product__name", "user__email", "body"]
    list_select_related = ["product", "user"]
    readonly_fields = ["product", "user", "order_line", "rating", "body", "photo_list", "created_at",
                       "is_hidden", "hidden_reason", "hidden_by"]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["product", "user", "order_line", "rating", "body", "photo_list", "created_at"]}),
        (_("Moderation"), {"fields": ["is_hidden", "hidden_reason", "hidden_by", "hide", "reason"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Photos"))
    def photo_list(self, review):
        return format_html_join(
            " ", '<a href="{}" target="_blank"><img src="{}" width="64" height="64" alt=""></a>',
            ((photo.image.url, photo.image.url) for photo in review.photos.all()),
        )  # fmt: skip

    def save_model(self, request, obj, form, change):
        hide, reason = form.cleaned_data.get("hide"), form.cleaned_data.get("reason", "")
        try:
            if hide and (not obj.is_hidden or reason.strip() != obj.hidden_reason):
                services.review_hide(review=obj, reason=reason, actor=request.user)
            elif not hide and obj.is_hidden:
                services.review_show(review=obj)
        except InvalidReview as exc:
            self.message_user(request, exc.message, messages.ERROR)
