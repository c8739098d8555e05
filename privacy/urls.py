from django.urls import path

from privacy import views

urlpatterns = [
    path("ligipaasetavus/", views.accessibility, name="accessibility"),
    path("privaatsus/", views.privacy_notice, name="privacy_notice"),
    path("kupsised/", views.cookies, name="cookies"),
    path("people/<int:pk>/personal-data/", views.personal_data, name="personal_data"),
    path(
        "people/<int:pk>/personal-data/export/",
        views.personal_data_export,
        name="personal_data_export",
    ),
    path(
        "people/<int:pk>/personal-data/erase/",
        views.personal_data_erase,
        name="personal_data_erase",
    ),
]
