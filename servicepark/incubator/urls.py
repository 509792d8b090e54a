from django.urls import path

from servicepark.incubator.views import parks, residency

app_name = "incubator"

urlpatterns = [
    path("parks/", parks.park_index, name="parks"),
    path("parks/<int:pk>/", parks.park_detail, name="park"),
    path("parks/<int:pk>/book/", parks.book, name="book"),
    path("parks/<int:pk>/desk/", parks.desk, name="desk"),
    path("parks/<int:pk>/community/", parks.community, name="community"),
    path("intake/<int:pk>/apply/", parks.residency_apply_view, name="apply"),
    path("residencies/<int:pk>/", residency.residency_detail, name="residency"),
    path("residencies/<int:pk>/act/", residency.residency_action, name="residency_action"),
    path("sessions/<int:pk>/", residency.session_detail, name="session"),
    path("registrations/<int:pk>/certificate/", residency.certificate, name="certificate"),
]
