from django.urls import path

from kieumau.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.index, name="index"),
    path("plans/<int:pk>/gaps/", views.plan_gaps, name="gaps"),
    path("<str:code>/", views.unit_dashboard, name="unit"),
    path("<str:code>/trends/", views.unit_trends, name="trends"),
]
