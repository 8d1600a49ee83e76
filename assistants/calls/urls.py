from django.urls import path

from assistants.calls import views

app_name = "calls"

urlpatterns = [
    path("assistants/<str:revox_id>/test-call/", views.test_call_new, name="new"),
    path("assistants/<str:revox_id>/calls/", views.assistant_calls, name="assistant_calls"),
    path("assistants/<str:revox_id>/outcomes/", views.assistant_outcomes_page, name="outcomes"),
    path("calls/", views.call_list, name="list"),
    path("calls/<str:call_id>/", views.call_detail, name="detail"),
    path("calls/<str:call_id>/cancel/", views.call_cancel, name="cancel"),
    path("calls/<str:call_id>/recording/", views.call_recording, name="recording"),
]
