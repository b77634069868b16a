from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from kieumau.api import api
from kieumau.core import views as core_views
from kieumau.dashboards import views as dashboard_views

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("accounts/", include("kieumau.accounts.urls")),
    path("units/", include("kieumau.orgunits.urls")),
    path("criteria/", include("kieumau.criteria.urls")),
    path("indicators/", include("kieumau.indicators.urls")),
    path("assessments/", include("kieumau.assessments.urls")),
    path("programs/", include("kieumau.programs.urls")),
    path("inspections/", include("kieumau.inspections.urls")),
    path("dashboards/", include("kieumau.dashboards.urls")),
    path("reports/", include("kieumau.reports.urls")),
    # Choosing a language must work on the sign-in page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/", api.urls),
    path("open311/v2/", include("kieumau.citizens.open311.urls")),
    path("", include("kieumau.citizens.urls")),
    path("healthz", core_views.healthz, name="healthz"),
]
