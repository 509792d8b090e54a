from django.urls import path

from servicepark.procurement.views import bulletins

app_name = "bulletins"

urlpatterns = [
    path("", bulletins.bulletin_index, name="list"),
    path("<int:pk>/", bulletins.bulletin_detail, name="detail"),
    path("<int:pk>/objections/", bulletins.bulletin_object, name="object"),
]
