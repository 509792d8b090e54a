from django.urls import path

from servicepark.incubator.views import parks

app_name = "incubator"

urlpatterns = [
    path("parks/", parks.park_index, name="parks"),
    path("parks/<int:pk>/", parks.park_detail, name="park"),
]
