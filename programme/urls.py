from django.urls import path

from programme import views

urlpatterns = [
    path("municipalities/", views.municipality_list, name="municipality_list"),
    # The search boxes of long choices (turvaportaal.lib.widgets.SearchSelect).
    path("search/municipalities/", views.municipality_search, name="municipality_search"),
    path("search/participations/", views.participation_search, name="participation_search"),
    path("municipalities/<str:ehak_code>/", views.municipality_detail, name="municipality_detail"),
    path("calls/", views.call_list, name="call_list"),
    path("calls/new/", views.call_edit, name="call_create"),
    path("calls/<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("participations/", views.participation_list, name="participation_list"),
    path("providers/", views.provider_list, name="provider_list"),
    path("providers/new/", views.provider_edit, name="provider_create"),
    path("providers/<int:pk>/edit/", views.provider_edit, name="provider_edit"),
    path("providers/assignments/", views.assign_providers, name="provider_assignments"),
]
