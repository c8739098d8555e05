from django.urls import path

from learning import views

urlpatterns = [
    path("trainings/", views.training_list, name="training_list"),
    path("trainings/new/", views.training_create, name="training_create"),
    path("trainings/overview/", views.training_overview, name="training_overview"),
    path("trainings/<int:pk>/", views.training_detail, name="training_detail"),
    path("trainings/<int:pk>/edit/", views.training_edit, name="training_edit"),
    path("trainings/<int:pk>/register/", views.training_register, name="training_register"),
    path(
        "trainings/<int:pk>/participants/<int:participant_pk>/withdraw/",
        views.training_withdraw,
        name="training_withdraw",
    ),
    path("trainings/<int:pk>/attendance/", views.training_attendance, name="training_attendance"),
    path("sharing/", views.sharing_list, name="sharing_list"),
    path("sharing/new/", views.sharing_create, name="sharing_create"),
    path("sharing/<int:pk>/", views.sharing_detail, name="sharing_detail"),
    path("sharing/<int:pk>/edit/", views.sharing_edit, name="sharing_edit"),
    path(
        "sharing/<int:pk>/materials/<int:material_pk>/",
        views.sharing_material,
        name="sharing_material",
    ),
]
