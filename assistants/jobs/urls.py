from django.urls import path

from assistants.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.jobs_list, name="list"),
    path("badge/", views.jobs_badge, name="badge"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/card/", views.job_card_partial, name="card"),
]
