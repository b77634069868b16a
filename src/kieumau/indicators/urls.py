from django.urls import path

from kieumau.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.index, name="index"),
    path("values/", views.month_form, name="values"),
    path("template/", views.template_download, name="template"),
    path("import/", views.upload, name="upload"),
    path("import/<int:pk>/", views.import_status, name="import_status"),
    path("compare/", views.compare, name="compare"),
]
