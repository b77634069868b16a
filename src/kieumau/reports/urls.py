from django.urls import path

from kieumau.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.job, name="job"),
    path("<int:pk>/download/", views.download, name="download"),
    path("templates/", views.templates, name="templates"),
    path("templates/default.docx", views.default_template, name="default_template"),
    path("templates/<int:pk>/retire/", views.retire_template, name="retire_template"),
]
