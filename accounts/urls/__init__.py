from django.urls import include, path

from accounts import health, security_txt, views

urlpatterns = [
    path("", views.home, name="home"),
    path("o/<slug:org>/", views.organization_home, name="organization_home"),
    path("o/<slug:org>/members/", views.members, name="members"),
    path("o/<slug:org>/members/invite/", views.invite_person, name="invite_person"),
    path(
        "o/<slug:org>/invitations/<int:pk>/revoke/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    # Before the token pattern, which would otherwise take "continue" for a token.
    path("invitations/continue/", views.continue_invitation, name="continue_invitation"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("exit/", views.quick_exit, name="quick_exit"),
    path("staying-safer/", views.staying_safer, name="staying_safer"),
    path("session/ended/", views.session_ended, name="session_ended"),
    path("session/status/", views.session_status, name="session_status"),
    path("healthz", health.healthz, name="healthz"),
    path(".well-known/security.txt", security_txt.security_txt, name="security_txt"),
    # Each area keeps its own list, so work on one never collides with another.
    path("", include("accounts.urls.profile")),
    path("", include("accounts.urls.consent")),
    path("", include("accounts.urls.roles")),
    path("", include("accounts.urls.data_rights")),
    path("", include("accounts.urls.account_changes")),
    path("", include("accounts.urls.organization")),
    path("", include("accounts.urls.updates")),
]
