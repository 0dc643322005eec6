from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("reviews/write/<id:line_id>/", views.review_write, name="write"),
]
