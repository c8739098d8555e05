from django.urls import include, path

from accounts import throttle, views

urlpatterns = [
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/tara/", views.eid_start, name="eid_start"),
    path("accounts/tara/callback/", views.eid_callback, name="eid_callback"),
    # Ahead of Django's own: the reset that is rate-limited (accounts/throttle.py).
    path(
        "accounts/password_reset/",
        throttle.LimitedPasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("accounts/invitation/<str:token>/", views.accept_invitation, name="invitation_accept"),
    path("people/", views.people, name="people"),
    path("people/invite/", views.invite, name="invite"),
    path("people/invitations/<int:pk>/resend/", views.resend_invitation, name="invitation_resend"),
]
