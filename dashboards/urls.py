from django.urls import path

from dashboards import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("programme/", views.programme_overview, name="programme_overview"),
]
