from django.urls import path

from grants import claim_views, views

urlpatterns = [
    path("ledger/", views.overview, name="ledger_overview"),
    path("ledger/export.<str:fmt>", views.export, name="ledger_export"),
    path("ledger/entries.<str:fmt>", views.export_entries, name="ledger_entries_export"),
    path("participations/<int:pk>/ledger/", views.ledger, name="ledger"),
    path(
        "participations/<int:pk>/ledger/expenditure/",
        views.add_expenditure,
        name="ledger_expenditure",
    ),
    path(
        "participations/<int:pk>/ledger/disbursement/",
        views.add_disbursement,
        name="ledger_disbursement",
    ),
    path(
        "participations/<int:pk>/ledger/<int:entry_pk>/reverse/",
        views.reverse,
        name="ledger_reverse",
    ),
    path(
        "participations/<int:pk>/ledger/<int:entry_pk>/review/", views.review, name="ledger_review"
    ),
    path(
        "participations/<int:pk>/ledger/<int:entry_pk>/document/",
        views.document,
        name="ledger_document",
    ),
    path("participations/<int:pk>/budget-change/", views.request_change, name="budget_change"),
    path(
        "participations/<int:pk>/budget-change/<int:change_pk>/",
        views.decide_change,
        name="budget_change_decide",
    ),
    path("participations/<int:pk>/claims/", claim_views.claims, name="claims"),
    path("participations/<int:pk>/claims/<int:claim_pk>/", claim_views.claim, name="claim"),
    path(
        "participations/<int:pk>/claims/<int:claim_pk>/add/",
        claim_views.claim_add,
        name="claim_add",
    ),
    path(
        "participations/<int:pk>/claims/<int:claim_pk>/lines/<int:line_pk>/remove/",
        claim_views.claim_remove,
        name="claim_remove",
    ),
    path(
        "participations/<int:pk>/claims/<int:claim_pk>/submit/",
        claim_views.claim_submit,
        name="claim_submit",
    ),
    path(
        "participations/<int:pk>/claims/<int:claim_pk>/submitted/",
        claim_views.claim_submitted,
        name="claim_submitted",
    ),
    path(
        "participations/<int:pk>/claims/<int:claim_pk>/review/",
        claim_views.claim_review,
        name="claim_review",
    ),
    path(
        "participations/<int:pk>/claims/<int:claim_pk>/decide/",
        claim_views.claim_decide,
        name="claim_decide",
    ),
]
