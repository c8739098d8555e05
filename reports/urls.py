from django.urls import path

from reports import claims, views

urlpatterns = [
    path("reports/", views.report_list, name="report_list"),
    path(
        "reports/municipality/",
        views.request_municipality_report,
        name="report_request_municipality",
    ),
    path("reports/programme/", views.request_programme_report, name="report_request_programme"),
    path(
        "applications/<int:pk>/pdf/",
        views.request_application_pdf,
        name="report_request_application",
    ),
    path("reports/exports/", views.export_list, name="export_list"),
    path("reports/exports/<str:table>.<str:fmt>", views.export_table, name="export_table"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/status.json", views.report_status, name="report_status"),
    path(
        "participations/<int:pk>/claims/<int:claim_pk>/export.<str:fmt>",
        claims.claim_export,
        name="claim_export",
    ),
    path("reports/<int:pk>/download/", views.report_download, name="report_download"),
]
