from django.urls import include, path

from servicepark.api import api
from servicepark.common.views import home
from servicepark.procurement.views.survey import survey

urlpatterns = [
    path("", home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("servicepark.accounts.urls")),
    path("", include("servicepark.registry.urls")),
    path("", include("servicepark.procurement.urls")),
    path("bulletins/", include("servicepark.procurement.urls_bulletins")),
    path("", include("servicepark.incubator.urls")),
    path("", include("servicepark.oversight.urls")),
    path("s/<str:token>/", survey, name="survey"),
    path("audit/", include("servicepark.common.urls")),
    path("personal/", include("servicepark.common.urls_personal")),
    path("geo/", include("servicepark.geo.urls")),
    path("api/v1/", api.urls),
]
