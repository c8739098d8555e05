from django.urls import path

from evaluation import views

urlpatterns = [
    path("programme/evaluation/", views.comparison, name="programme_evaluation"),
    path("participations/<int:pk>/counts/", views.counts, name="participation_counts"),
]
