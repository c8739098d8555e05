from django.urls import path

from conversations import views

urlpatterns = [
    path("participations/<int:pk>/messages/", views.thread, name="conversation"),
    path(
        "participations/<int:pk>/messages/files/<int:attachment_pk>/",
        views.attachment_download,
        name="conversation_attachment",
    ),
]
