from django.urls import path

from kieumau.criteria import views

app_name = "criteria"
urlpatterns = [
    path("", views.set_list, name="list"),
    path("check-expression/", views.check_expression, name="check_expression"),
    path("<slug:code>/", views.current, name="current"),
    path("<slug:code>/<str:version>/", views.set_detail, name="detail"),
    path("<slug:code>/<str:version>/edit/", views.set_edit, name="edit"),
    path("<slug:code>/<str:version>/criteria/new/", views.criterion_add, name="criterion_add"),
    path(
        "<slug:code>/<str:version>/criteria/<int:pk>/",
        views.criterion_edit,
        name="criterion_edit",
    ),
    path(
        "<slug:code>/<str:version>/criteria/<int:pk>/remove/",
        views.criterion_remove,
        name="criterion_remove",
    ),
    path("<slug:code>/<str:version>/publish/", views.publish, name="publish"),
    path("<slug:code>/<str:version>/new-round/", views.new_round, name="new_round"),
    path("<slug:code>/<str:version>/export.yaml", views.export_yaml, name="export_yaml"),
    path("<slug:code>/<str:version>/export.xlsx", views.export_xlsx, name="export_xlsx"),
]
