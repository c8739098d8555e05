from django.urls import path

from closing import views

urlpatterns = [
    path("participations/<int:pk>/final-report/", views.report, name="final_report"),
    path("participations/<int:pk>/final-report/edit/", views.edit, name="final_report_edit"),
    path("participations/<int:pk>/final-report/check/", views.check, name="final_report_check"),
    path(
        "participations/<int:pk>/final-report/submitted/",
        views.submitted,
        name="final_report_submitted",
    ),
    path("participations/<int:pk>/final-report/decide/", views.decide, name="final_report_decide"),
    path(
        "participations/<int:pk>/final-report/practice/",
        views.start_practice,
        name="final_report_practice",
    ),
    path("participations/<int:pk>/close/", views.close, name="participation_close"),
]
