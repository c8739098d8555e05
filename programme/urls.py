from django.urls import path

from programme import views

urlpatterns = [
    path("municipalities/", views.municipality_list, name="municipality_list"),
    path("municipalities/<str:ehak_code>/", views.municipality_detail, name="municipality_detail"),
]
