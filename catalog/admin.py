"""Staff's catalog tools: the category tree and the product list with images, filters and bulk actions."""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import images, services
from .models import Category, Product, ProductImage
from .templatetags.product_images import image_url


def _thumbnail(image, size=64, *, original_fallback=False):
    """The thumb rendition; until it exists, the original only where one image is shown (the inline), never
    in the product list (50 originals a page)."""
    if not image:
        return "-"
    url = image_url(image, "thumb", original_fallback=original_fallback)
    if not url:
        return _("Processing")
    return format_html(
        '<img src="{}" alt="" width="{}" height="{}" loading="lazy" style="object-fit:cover;border-radius:4px">',
        url,
        size,
        size,
    )


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["tree_name", "slug", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent__parent")

    @admin.display(description=_("name"), ordering="name")
    def tree_name(self, category):
        """The name with its ancestors, so the flat list reads as a tree: 가전 > 컴퓨터 > 노트북."""
        names, node = [], category
        while node is not None:
            names.append(node.name)
            node = node.parent
        return " > ".join(reversed(names))

    def get_ordering(self, request):
        return ["parent__parent__position", "parent__position", "position", "name"]


class ProductImageForm(forms.ModelForm):
    """An inline row. The file is a plain upload checked by content (``images.clean_image``), never trusted
    by its name; the admin saves rows through ``services.product_image_save``."""

    upload = forms.FileField(label=_("image"), required=False)

    class Meta:
        model = ProductImage
        fields = ["alt", "position", "is_primary"]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        try:
            return images.clean_image(upload)
        except images.InvalidImage as error:
            raise forms.ValidationError(error.message, code=error.code) from error

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and "upload" not in self.errors and not cleaned.get("upload"):
            self.add_error("upload", _("Choose an image file."))
        return cleaned


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    form = ProductImageForm
    extra = 1
    fields = ["preview", "upload", "alt", "position", "is_primary"]
    readonly_fields = ["preview"]

    @admin.display(description=_("preview"))
    def preview(self, image):
        return _thumbnail(image if image.pk else None, size=96, original_fallback=True)


class StockFilter(admin.SimpleListFilter):
    title = _("stock")
    parameter_name = "stock"

    def lookups(self, request, model_admin):
        return [("0", _("Out of stock (0)")), ("low", _("Low (1-5)")), ("in", _("In stock"))]

    def queryset(self, request, queryset):
        if self.value() == "0":
            return queryset.filter(stock=0)
        if self.value() == "low":
            return queryset.filter(stock__gte=1, stock__lte=5)
        if self.value() == "in":
            return queryset.filter(stock__gt=0)
        return queryset


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "name", "category", "price", "stock", "status", "updated_at"]
    list_display_links = ["thumbnail", "name"]
    list_editable = ["stock"]
    list_filter = ["status", StockFilter, ("category", admin.RelatedOnlyFieldListFilter)]
    # () rather than False: False makes Django join the category for list_display (see get_queryset).
    list_select_related = ()
    list_per_page = 50
    search_fields = ["name", "=slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["category"]
    readonly_fields = ["created_at", "updated_at"]
    fields = ["name", "slug", "category", "description", "price", "stock", "status", "created_at", "updated_at"]
    inlines = [ProductImageInline]
    actions = ["publish", "hide"]
    # The product table can hold a million rows: never count it just to show "N of M selected".
    show_full_result_count = False

    def get_queryset(self, request):
        # Prefetched, not joined: the join makes MariaDB sort the whole product table (see selectors).
        return super().get_queryset(request).prefetch_related("category", "images")

    @admin.display(description=_("image"))
    def thumbnail(self, product):
        return _thumbnail(product.primary_image)

    def save_model(self, request, obj, form, change):
        services.product_save(product=obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ProductImage:
            return super().save_formset(request, form, formset, change)
        # What ModelAdmin.construct_change_message reads (formset.save() would set them).
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for image_form in formset.deleted_forms:
            if image_form.instance.pk:
                services.product_image_delete(image=image_form.instance)
                formset.deleted_objects.append(image_form.instance)
        for image_form in formset.forms:
            if image_form in formset.deleted_forms or not image_form.has_changed():
                continue
            image = image_form.save(commit=False)
            image.product = form.instance
            is_new = image.pk is None
            services.product_image_save(image=image, file=image_form.cleaned_data.get("upload"))
            if is_new:
                formset.new_objects.append(image)
            else:
                formset.changed_objects.append((image, image_form.changed_data))

    def delete_model(self, request, obj):
        services.product_delete(product_ids=[obj.pk])

    def delete_queryset(self, request, queryset):
        services.product_delete(product_ids=queryset.values_list("id", flat=True))

    @admin.action(description=_("Publish selected products (on sale)"))
    def publish(self, request, queryset):
        self._set_status(request, queryset, Product.Status.ON_SALE)

    @admin.action(description=_("Hide selected products"))
    def hide(self, request, queryset):
        self._set_status(request, queryset, Product.Status.HIDDEN)

    def _set_status(self, request, queryset, status):
        count = services.product_set_status(product_ids=queryset.values_list("id", flat=True), status=status)
        message = ngettext("%(count)d product updated.", "%(count)d products updated.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


admin.site.site_header = _("Shop administration")
admin.site.site_title = _("Shop admin")
