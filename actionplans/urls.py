from django.urls import path

from actionplans import views

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/mine/", views.my_plan, name="my_plan"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/field/", views.edit_text, name="plan_text"),
    path("plans/<int:pk>/problems/", views.edit_problems, name="plan_problems"),
    path("plans/<int:pk>/goals/", views.edit_goals, name="plan_goals"),
    path("plans/<int:pk>/activities/", views.edit_activities, name="plan_activities"),
    path("plans/<int:pk>/indicators/", views.indicators, name="plan_indicators"),
    path("plans/<int:pk>/targets/", views.targets, name="plan_targets"),
    path("plans/<int:pk>/submit/", views.submit, name="plan_submit"),
    path("plans/<int:pk>/decision/", views.decide, name="plan_decide"),
    path("plans/<int:pk>/reopen/", views.reopen, name="plan_reopen"),
    path("plans/<int:pk>/revisions/", views.revisions, name="plan_revisions"),
    path("plans/<int:pk>/updates/", views.updates, name="plan_updates"),
    path(
        "plans/<int:pk>/updates/<int:update_pk>/review/",
        views.review_update,
        name="plan_update_review",
    ),
    path("indicators/", views.catalogue, name="indicator_catalogue"),
    path("indicators/<int:pk>/", views.catalogue, name="indicator_edit"),
]
