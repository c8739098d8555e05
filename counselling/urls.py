from django.urls import path

from counselling import views

urlpatterns = [
    path("counselling/", views.session_list, name="session_list"),
    path("counselling/new/", views.session_create, name="session_create"),
    path("counselling/totals/", views.totals, name="counselling_totals"),
    path("counselling/export.<str:fmt>", views.export, name="counselling_export"),
    path("counselling/<int:pk>/", views.session_detail, name="session_detail"),
    path("counselling/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("counselling/<int:pk>/answer/", views.session_answer, name="session_answer"),
    path("counselling/steps/<int:pk>/status/", views.step_status, name="step_status"),
]
