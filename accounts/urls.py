from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("close/", views.account_close, name="close"),
    path("my-data/", views.account_data, name="data"),
    path("addresses/", views.address_list, name="address_list"),
    path("addresses/new/", views.address_create, name="address_create"),
    path("addresses/<id:address_id>/edit/", views.address_update, name="address_update"),
    path("addresses/<id:address_id>/delete/", views.address_delete, name="address_delete"),
    path("addresses/<id:address_id>/default/", views.address_set_default, name="address_set_default"),
]
