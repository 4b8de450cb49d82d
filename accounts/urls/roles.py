"""URLs for the roles area; included from accounts/urls/__init__.py."""

from django.urls import URLPattern, path

from accounts.views import roles

urlpatterns: list[URLPattern] = [
    path("o/<slug:org>/roles/", roles.board_roles, name="board_roles"),
    path("o/<slug:org>/roles/<int:pk>/edit/", roles.edit_board_role, name="edit_board_role"),
    path("o/<slug:org>/board/", roles.board, name="board"),
    path("o/<slug:org>/board/invite/", roles.invite_to_role, name="invite_to_role"),
    path(
        "o/<slug:org>/board/assignments/<int:pk>/withdraw/",
        roles.withdraw_role_invitation,
        name="withdraw_role_invitation",
    ),
    path("o/<slug:org>/my-seat/roles/", roles.my_roles, name="my_roles"),
    path(
        "o/<slug:org>/my-seat/roles/<int:pk>/<str:action>/",
        roles.change_my_role,
        name="change_my_role",
    ),
]
