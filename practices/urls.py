from django.urls import path

from practices import views

urlpatterns = [
    path("practices/", views.practice_list, name="practice_list"),
    path("practices/new/", views.practice_create, name="practice_create"),
    path("practices/<int:pk>/", views.practice_detail, name="practice_detail"),
    path("practices/<int:pk>/edit/", views.practice_edit, name="practice_edit"),
    path("practices/<int:pk>/submit/", views.practice_submit, name="practice_submit"),
    path("practices/<int:pk>/publish/", views.practice_publish, name="practice_publish"),
    path("practices/<int:pk>/return/", views.practice_return, name="practice_return"),
    path("practices/<int:pk>/unpublish/", views.practice_unpublish, name="practice_unpublish"),
]
