from django.urls import path

from evaluation import views

urlpatterns = [
    path("participations/<int:pk>/counts/", views.counts, name="participation_counts"),
]
