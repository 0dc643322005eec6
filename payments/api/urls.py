from django.urls import path

from . import views

urlpatterns = [
    path("payments/toss/confirm/", views.TossConfirmView.as_view(), name="payments-toss-confirm"),
    path("orders/<str:number>/payment/", views.OrderPaymentView.as_view(), name="order-payment"),
    path("orders/<str:number>/cancel/", views.OrderCancelView.as_view(), name="order-cancel"),
]
