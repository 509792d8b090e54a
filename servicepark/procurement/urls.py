from django.urls import path

from servicepark.procurement.views import calls, catalogues

app_name = "procurement"

urlpatterns = [
    path("calls/", calls.call_index, name="calls"),
    path("calls/<int:pk>/", calls.call_detail, name="call"),
    path("catalogues/", catalogues.catalogue_index, name="catalogues"),
    path("catalogues/<int:pk>/", catalogues.catalogue_detail, name="catalogue"),
    path("catalogues/<int:pk>/entries/", catalogues.catalogue_entry, name="catalogue_entry"),
    path(
        "catalogues/<int:pk>/publish/", catalogues.catalogue_publish_view, name="catalogue_publish"
    ),
]
