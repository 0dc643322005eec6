from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("payments/toss/success/", views.toss_success, name="toss-success"),
    path("payments/toss/fail/", views.toss_fail, name="toss-fail"),
    path("payments/toss/webhook/", views.toss_webhook, name="toss-webhook"),
    path("orders/<str:number>/cancel/", views.order_cancel, name="order-cancel"),
]
