from django.urls import path

from kieumau.inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.inspection_list, name="list"),
    path("new/", views.inspection_create, name="create"),
    path("<int:pk>/", views.inspection_detail, name="detail"),
    path("<int:pk>/members/", views.add_member, name="add_member"),
    path("<int:pk>/visits/", views.add_visit, name="add_visit"),
    path("<int:pk>/recommendations/", views.add_recommendation, name="add_recommendation"),
    path("members/<int:pk>/remove/", views.remove_member, name="remove_member"),
    path("visits/<int:pk>/findings/", views.add_finding, name="add_finding"),
    path("findings/<int:pk>/remove/", views.remove_finding, name="remove_finding"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation"),
    path("units/<str:code>/", views.unit_followup, name="unit_followup"),
]
