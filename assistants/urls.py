from django.urls import include, path
from django.views.generic.base import RedirectView

from assistants import views

app_name = "assistants"

# Each part's URLs join this namespace ("assistants:edit"), so template and test names stay.
urlpatterns = [
    path("", include("assistants.editors.urls")),
    path("", include("assistants.faq_review.urls")),
    path("", include("assistants.history.urls")),
    path("", RedirectView.as_view(pattern_name="assistants:list", permanent=False), name="home"),
    path("assistants/", views.assistant_list, name="list"),
    path("assistants/refresh/", views.assistants_refresh, name="refresh"),
    path("assistants/new/", views.assistant_create, name="create"),
    path("assistants/<str:revox_id>/", views.assistant_detail, name="detail"),
    path("assistants/<str:revox_id>/clone/", views.assistant_clone, name="clone"),
    path("assistants/<str:revox_id>/delete/", views.assistant_delete, name="delete"),
]
