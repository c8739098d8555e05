from django.urls import path

from inquiries import views

urlpatterns = [
    path("information-requests/", views.inquiry_list, name="inquiry_list"),
    path("information-requests/ask/<str:subject>/<int:pk>/", views.ask, name="inquiry_ask"),
    path("information-requests/<int:pk>/", views.detail, name="inquiry_detail"),
    path("information-requests/<int:pk>/answer/", views.answer, name="inquiry_answer"),
    path("information-requests/<int:pk>/answered/", views.answered, name="inquiry_answered"),
    path("information-requests/<int:pk>/withdraw/", views.withdraw, name="inquiry_withdraw"),
    path("information-requests/<int:pk>/attachment/", views.download, name="inquiry_attachment"),
]
