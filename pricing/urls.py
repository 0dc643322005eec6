from django.urls import path

from . import views

app_name = "pricing"

urlpatterns = [path("coupons/", views.coupon_box_page, name="coupon_box")]
