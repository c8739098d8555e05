from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from turvaportaal import views

urlpatterns = [
    path("", include("dashboards.urls")),
    path("", include("accounts.urls")),
    path("", include("programme.urls")),
    path("", include("applications.urls")),
    path("", include("actionplans.urls")),
    path("", include("grants.urls")),
    path("", include("counselling.urls")),
    path("", include("learning.urls")),
    path("", include("practices.urls")),
    path("", include("reports.urls")),
    path("", include("audit.urls")),
    path("", include("notifications.urls")),
    path("", include("inquiries.urls")),
    path("", include("conversations.urls")),
    path("", include("agreements.urls")),
    path("", include("closing.urls")),
    path("", include("privacy.urls")),
    path("", include("evaluation.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("health/", views.health, name="health"),
    path("admin/", admin.site.urls),
]

# An unreachable database answers 503 with a plain page; every other error the 500 page.
handler500 = "turvaportaal.views.server_error"
