from django.urls import include, path

from kieumau.api import api
from kieumau.orgunits import views as orgunit_views

urlpatterns = [
    path("", orgunit_views.home, name="home"),
    path("accounts/", include("kieumau.accounts.urls")),
    path("units/", include("kieumau.orgunits.urls")),
    path("criteria/", include("kieumau.criteria.urls")),
    path("indicators/", include("kieumau.indicators.urls")),
    path("assessments/", include("kieumau.assessments.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
]
