from django.urls import path

from notifications import views

urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("notifications/read/", views.mark_all_read, name="notifications_mark_read"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
]
