from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from kieumau.api import api
from kieumau.core import views as core_views
from kieumau.orgunits import views as orgunit_views

urlpatterns = [
    path("", orgunit_views.home, name="home"),
    path("accounts/", include("kieumau.accounts.urls")),
    path("units/", include("kieumau.orgunits.urls")),
    path("criteria/", include("kieumau.criteria.urls")),
    path("indicators/", include("kieumau.indicators.urls")),
    path("assessments/", include("kieumau.assessments.urls")),
    # Choosing a language must work on the sign-in page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/", api.urls),
    path("healthz", core_views.healthz, name="healthz"),
]
