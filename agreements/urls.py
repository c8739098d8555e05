from django.urls import path

from agreements import views

urlpatterns = [
    path("participations/<int:pk>/agreement/", views.detail, name="agreement"),
    path("participations/<int:pk>/agreement/edit/", views.edit, name="agreement_edit"),
    path("participations/<int:pk>/agreement/signed/", views.upload, name="agreement_upload"),
    path(
        "participations/<int:pk>/agreement/signed/download/",
        views.download,
        name="agreement_download",
    ),
    path(
        "participations/<int:pk>/agreement/amendments/new/",
        views.amend,
        name="agreement_amend",
    ),
    path(
        "participations/<int:pk>/agreement/amendments/<int:amendment_pk>/download/",
        views.amendment_download,
        name="amendment_download",
    ),
]
