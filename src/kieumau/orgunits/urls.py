from django.urls import path

from kieumau.orgunits import views

app_name = "orgunits"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("<str:code>/", views.unit_detail, name="detail"),
    path("<str:code>/register/", views.register_child, name="register_child"),
]
