from django.urls import re_path

from kieumau.citizens.open311 import views

app_name = "open311"
FMT = r"\.(?P<fmt>json|xml)$"
urlpatterns = [
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.services, name="services"),
    re_path(r"^services/(?P<code>[a-z0-9-]{1,40})" + FMT, views.service_definition,
            name="service"),
    re_path(r"^requests" + FMT, views.requests_collection, name="requests"),
    re_path(r"^requests/(?P<pk>[0-9]{1,11})" + FMT, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[A-Za-z0-9]{1,16})" + FMT, views.token, name="token"),
]
