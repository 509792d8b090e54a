from django.urls import path

from servicepark.common.views_personal import reveal_view

app_name = "personal"
urlpatterns = [
    path("<str:kind>/<int:pk>/<str:field>/reveal/", reveal_view, name="reveal"),
]
