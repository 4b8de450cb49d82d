"""URLs for advisory's feedback area; included from advisory/urls/__init__.py."""

from django.urls import URLPattern, path

from advisory.views import feedback

urlpatterns: list[URLPattern] = [
    path("o/<slug:org>/my-seat/feedback/", feedback.my_feedback_page, name="my_feedback"),
    path(
        "o/<slug:org>/my-seat/feedback/<int:pk>/",
        feedback.my_feedback_detail,
        name="my_feedback_detail",
    ),
    path(
        "o/<slug:org>/my-seat/feedback/<int:pk>/board/",
        feedback.share_feedback_with_board,
        name="share_feedback_with_board",
    ),
    path(
        "o/<slug:org>/my-seat/feedback/shared/",
        feedback.board_feedback,
        name="board_feedback",
    ),
    path("o/<slug:org>/my-seat/what-we-changed/", feedback.what_we_changed, name="what_we_changed"),
    path("o/<slug:org>/feedback/", feedback.feedback_inbox_page, name="feedback_inbox"),
    path("o/<slug:org>/feedback/<int:pk>/", feedback.answer_feedback, name="answer_feedback"),
    path("o/<slug:org>/what-we-changed/", feedback.program_changes_page, name="program_changes"),
    path(
        "o/<slug:org>/what-we-changed/new/",
        feedback.new_program_change,
        name="new_program_change",
    ),
]
