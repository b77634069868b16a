from django.urls import path

from kieumau.assessments import standing_views, views

app_name = "assessments"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("new/", views.assessment_create, name="create"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/judgements/", views.save_judgements, name="judgements"),
    path("<int:pk>/step/", views.take_step, name="step"),
    path("<int:pk>/evidence/", views.upload_evidence, name="upload_evidence"),
    path("evidence/<int:pk>/", views.download_evidence, name="evidence"),
    path("evidence/<int:pk>/delete/", views.delete_evidence, name="delete_evidence"),
    path("units/<str:code>/standing/", standing_views.unit_standing, name="unit_standing"),
    path(
        "units/<str:code>/standing/<slug:set_code>/",
        standing_views.unit_set_standing,
        name="unit_set_standing",
    ),
]
