from django.urls import path

from servicepark.geo.views import picker

app_name = "geo"
urlpatterns = [path("picker/", picker, name="picker")]
