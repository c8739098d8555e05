from django.urls import path

from applications import evaluation_views, views

urlpatterns = [
    path("applications/", views.application_list, name="application_list"),
    path("applications/export.csv", views.export_csv, name="application_export"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/form/", views.edit_form, name="application_form"),
    path("applications/<int:pk>/budget/", views.edit_budget, name="application_budget"),
    path("applications/<int:pk>/activities/", views.edit_activities, name="application_activities"),
    path("applications/<int:pk>/decision/", views.council_decision, name="application_decision"),
    path(
        "applications/<int:pk>/decision/<int:decision_pk>/",
        views.download_decision,
        name="application_decision_download",
    ),
    path("applications/<int:pk>/submit/", views.submit, name="application_submit"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="application_withdraw"),
    path("applications/<int:pk>/receipt/", views.receipt, name="application_receipt"),
    path("calls/<int:call_pk>/apply/", views.start, name="application_start"),
    path("calls/<int:pk>/", views.call_overview, name="call_overview"),
    path("calls/<int:pk>/evaluation/start/", views.start_evaluation, name="call_start_evaluation"),
    path(
        "calls/<int:pk>/evaluation/",
        evaluation_views.evaluation_overview,
        name="evaluation_overview",
    ),
    path(
        "calls/<int:pk>/evaluation/assign/",
        evaluation_views.assign_many,
        name="evaluation_assign_many",
    ),
    path("calls/<int:pk>/criteria/", evaluation_views.edit_criteria, name="evaluation_criteria"),
    path("calls/<int:pk>/selection/", evaluation_views.selection, name="selection"),
    path("applications/<int:pk>/assign/", evaluation_views.assign, name="evaluation_assign"),
    path("applications/<int:pk>/consensus/", evaluation_views.consensus, name="consensus"),
    path("evaluations/", evaluation_views.my_evaluations, name="my_evaluations"),
    path("evaluations/<int:pk>/", evaluation_views.evaluate, name="evaluate"),
]
