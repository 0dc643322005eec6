"""Staff's catalog tools: the category tree and the product list with images, filters and bulk actions."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shop.admin_display import won_column
from shop.admin_upload import CsvUploadForm
from shop.exceptions import DomainError

from . import images, services, stock, stock_import
from .exceptions import NegativeStock
from .forms import InfoNoticeField
from .models import (
    Category,
    Product,
    ProductImage,
    ProductOption,
    ProductOptionValue,
    SearchSynonym,
    Sku,
    StockMovement,
)
from .search.synonyms import synonyms_changed
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

    def save_model(self, request, obj, form, change):
        services.category_save(category=obj)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "info_notice_template":
            return InfoNoticeField(label=db_field.verbose_name.capitalize(), help_text=db_field.help_text)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

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
    """By the stock of a product's active SKUs: none left in any, one running low (1-5), some in stock."""

    title = _("stock")
    parameter_name = "stock"

    def lookups(self, request, model_admin):
        return [("0", _("Out of stock (0)")), ("low", _("Low (1-5)")), ("in", _("In stock"))]

    def queryset(self, request, queryset):
        active = Sku.objects.filter(product=OuterRef("pk"), is_active=True)
        if self.value() == "0":
            return queryset.exclude(Exists(active.filter(stock__gt=0)))
        if self.value() == "low":
            return queryset.filter(Exists(active.filter(stock__gte=1, stock__lte=5)))
        if self.value() == "in":
            return queryset.filter(Exists(active.filter(stock__gt=0)))
        return queryset


class ProductOptionInline(admin.TabularInline):
    model = ProductOption
    extra = 0
    fields = ["name", "position", "edit_values"]
    readonly_fields = ["edit_values"]

    @admin.display(description=_("values"))
    def edit_values(self, option):
        if not option.pk:
            return "-"
        names = ", ".join(value.name for value in option.values.all()) or _("none yet")
        url = reverse("admin:catalog_productoption_change", args=[option.pk])
        return format_html('<a href="{}">{}</a>', url, names)


class SkuInline(admin.TabularInline):
    """SKUs on the product page: stock is shown, never edited here (``SkuAdmin`` adjusts it by a delta)."""

    model = Sku
    extra = 0
    fields = ["code", "options", "price_delta", "is_active", "stock", "adjust"]
    readonly_fields = ["options", "stock", "adjust"]
    can_delete = False

    @admin.display(description=_("options"))
    def options(self, sku):
        return sku.option_label if sku.pk else "-"

    @admin.display(description=_("adjust stock"))
    def adjust(self, sku):
        if not sku.pk:
            return "-"
        return format_html('<a href="{}">{}</a>', reverse("admin:catalog_sku_change", args=[sku.pk]), _("Adjust"))


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "name", "category", "price_won", "stock", "status", "updated_at"]
    price_won = won_column("price", _("price"))
    list_display_links = ["thumbnail", "name"]
    list_filter = ["status", StockFilter, ("category", admin.RelatedOnlyFieldListFilter)]
    # () rather than False: False makes Django join the category for list_display (see get_queryset).
    list_select_related = ()
    list_per_page = 50
    search_fields = ["name", "=slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["category"]
    readonly_fields = ["created_at", "updated_at"]
    fields = [
        "name",
        "slug",
        "category",
        "description",
        "price",
        "sale_price",
        "sale_starts_at",
        "sale_ends_at",
        "status",
        "info_notice",
        "created_at",
        "updated_at",
    ]
    inlines = [ProductOptionInline, SkuInline, ProductImageInline]
    actions = ["publish", "hide", "generate_skus"]

    class Media:
        css = {"all": ["admin-store/admin.css"]}

    # The product table can hold a million rows: never count it just to show "N of M selected".
    show_full_result_count = False

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "info_notice":
            return InfoNoticeField(label=db_field.verbose_name.capitalize())
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        # Prefetched, not joined: the join makes MariaDB sort the whole product table (see selectors).
        return super().get_queryset(request).prefetch_related("category", "images", "skus")

    @admin.display(description=_("stock"))
    def stock(self, product):
        """What the active SKUs hold (read only: stock changes through adjustments)."""
        return sum(sku.stock for sku in product.skus.all() if sku.is_active)

    @admin.display(description=_("image"))
    def thumbnail(self, product):
        return _thumbnail(product.primary_image)

    def save_model(self, request, obj, form, change):
        services.product_save(product=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The SKU inline may have switched SKUs on or off.
        stock.availability_refresh(product_ids=[form.instance.pk])

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

    @admin.action(description=_("Create a SKU for every option combination"))
    def generate_skus(self, request, queryset):
        created = sum(len(services.product_skus_generate(product=product)) for product in queryset)
        message = ngettext("%(count)d SKU created.", "%(count)d SKUs created.", created)
        self.message_user(request, message % {"count": created}, messages.SUCCESS)

    def _set_status(self, request, queryset, status):
        count = services.product_set_status(product_ids=queryset.values_list("id", flat=True), status=status)
        message = ngettext("%(count)d product updated.", "%(count)d products updated.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


class ProductOptionValueInline(admin.TabularInline):
    model = ProductOptionValue
    extra = 3
    fields = ["name", "position"]


@admin.register(ProductOption)
class ProductOptionAdmin(admin.ModelAdmin):
    """An option group's values (색상: 블랙, 화이트); then "Create a SKU for every option combination"."""

    list_display = ["name", "product", "position"]
    search_fields = ["product__name", "name"]
    autocomplete_fields = ["product"]
    inlines = [ProductOptionValueInline]


class StockAdjustmentForm(forms.ModelForm):
    """A SKU's form with the two ways staff change stock: by a delta, or to a counted target (never a raw value)."""

    adjust_by = forms.IntegerField(
        label=_("Adjust by"), required=False, help_text=_("+20 for goods received, -2 for damaged goods.")
    )
    set_to = forms.IntegerField(
        label=_("Set to (counted)"),
        required=False,
        min_value=0,
        help_text=_("Applied as the difference from the stock at the moment of saving, so sales meanwhile stay sold."),
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=StockMovement.Reason.choices, initial="received")
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    class Meta:
        model = Sku
        fields = ["product", "code", "option_values", "price_delta", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this product's values (a new SKU gets its options from "Create a SKU for every combination").
        values = ProductOptionValue.objects.filter(option__product_id=self.instance.product_id).select_related("option")
        self.fields["option_values"].queryset = values

    def clean(self):
        data = super().clean()
        if data.get("adjust_by") is not None and data.get("set_to") is not None:
            raise forms.ValidationError(_("Give either an adjustment or a counted stock, not both."))
        delta = data.get("adjust_by") or 0
        if self.instance.pk and self.instance.stock + delta < 0:
            # Checked again under the SKU's lock when saving; this catches the common case as a form error.
            self.add_error(
                "adjust_by", NegativeStock(sku_code=self.instance.code, stock=self.instance.stock, delta=delta).message
            )
        return data


class StockImportForm(CsvUploadForm):
    """The CSV upload of this import (``shop.admin_upload``)."""


class StockMovementInline(admin.TabularInline):
    model = StockMovement
    extra = 0
    max_num = 0
    fields = ["created_at", "delta", "reason", "reference", "note", "actor"]
    readonly_fields = fields
    can_delete = False
    ordering = ["-id"]


@admin.register(Sku)
class SkuAdmin(admin.ModelAdmin):
    form = StockAdjustmentForm
    list_display = ["code", "product", "option_label", "price_delta", "stock", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["product"]
    search_fields = ["=code", "product__name"]
    autocomplete_fields = ["product"]
    readonly_fields = ["stock"]
    fieldsets = [
        (None, {"fields": ["product", "code", "option_values", "price_delta", "is_active"]}),
        (_("Stock"), {"fields": ["stock", "adjust_by", "set_to", "reason", "note"]}),
    ]
    inlines = [StockMovementInline]

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="catalog_sku_import"), *super().get_urls()]

    def import_view(self, request):
        """Upload a CSV file, see every row checked, then apply them all (``catalog.stock_import``)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = StockImportForm(request.POST or None, request.FILES or None)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form}
        if request.method == "POST" and "apply" in request.POST:
            try:
                changed = stock_import.stock_import_apply(
                    text=request.POST.get("text", ""), actor=request.user, reference=request.POST.get("name", "")
                )
            except stock_import.ImportRefused as exc:
                self.message_user(request, exc.message, messages.ERROR)
                context.update(plan=exc.plan)
            else:
                message = ngettext("Stock of %(count)d SKU changed.", "Stock of %(count)d SKUs changed.", changed)
                self.message_user(request, message % {"count": changed}, messages.SUCCESS)
                return redirect("admin:catalog_stockmovement_changelist")
        elif request.method == "POST" and form.is_valid():
            text = form.cleaned_data["text"]
            context.update(plan=stock_import.stock_import_read(text=text), text=text, name=form.cleaned_data["name"])
        return TemplateResponse(request, "admin/catalog/sku/import.html", context)

    def save_model(self, request, obj, form, change):
        obj.save()
        stock.availability_refresh(product_ids=[obj.product_id])
        data, args = form.cleaned_data, {"reason": form.cleaned_data["reason"], "actor": request.user}
        try:
            if data.get("adjust_by"):
                stock.stock_adjust(sku=obj, delta=data["adjust_by"], note=data["note"], **args)
            elif data.get("set_to") is not None:
                stock.stock_set(sku=obj, target=data["set_to"], note=data["note"], **args)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)


@admin.register(StockMovement)
class StockMovementAdmin(admin.ModelAdmin):
    """The stock ledger: read only, written by ``catalog.stock`` alone."""

    list_display = ["created_at", "sku", "delta", "reason", "reference", "note", "actor"]
    list_filter = ["reason"]
    list_select_related = ["sku", "actor"]
    search_fields = ["=sku__code", "=reference"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # Deleting stays possible only so that deleting a never-sold product or SKU can cascade to its ledger.
    actions = None


admin.site.site_header = _("Shop administration")
admin.site.site_title = _("Shop admin")


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    """Staff's synonym groups; every change takes effect on the next search (no re-indexing)."""

    list_display = ["words"]
    search_fields = ["words"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        synonyms_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        synonyms_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        synonyms_changed()
