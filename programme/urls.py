from django.urls import path

from programme import views

urlpatterns = [
    path("municipalities/", views.municipality_list, name="municipality_list"),
    path("municipalities/<str:ehak_code>/", views.municipality_detail, name="municipality_detail"),
    path("calls/", views.call_list, name="call_list"),
    path("calls/new/", views.call_edit, name="call_create"),
    path("calls/<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("participations/", views.participation_list, name="participation_list"),
]
