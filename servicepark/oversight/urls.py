from django.urls import path

from servicepark.oversight.views import desk, organization, public

app_name = "oversight"
urlpatterns = [
    path("credit/", public.credit_lists, name="credit_lists"),
    path("credit/organizations/<int:pk>/", public.credit_page, name="credit_page"),
    path("oversight/", desk.desk, name="desk"),
    path("oversight/alerts/<int:pk>/", desk.alert_detail, name="alert"),
    path("oversight/alerts/<int:pk>/act/", desk.alert_action, name="alert_action"),
    path("oversight/organizations/<int:pk>/", organization.organization_page, name="organization"),
    path(
        "oversight/organizations/<int:pk>/act/",
        organization.organization_action,
        name="organization_action",
    ),
    path(
        "oversight/organizations/<int:pk>/annual-report/",
        organization.annual_report_new,
        name="annual_report_new",
    ),
]
