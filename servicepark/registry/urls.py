from django.urls import path

from servicepark.registry.views import directory, imports, manage

app_name = "registry"

urlpatterns = [
    path("organizations/", directory.directory, name="directory"),
    path("organizations/new/", manage.create, name="create"),
    path("organizations/export.csv", directory.export, {"fmt": "csv"}, name="export_csv"),
    path("organizations/export.xlsx", directory.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("organizations/<int:pk>/", directory.detail, name="detail"),
    path("organizations/<int:pk>/edit/", manage.edit, name="edit"),
    path("organizations/<int:pk>/status/", manage.transition, name="transition"),
    path("organizations/<int:pk>/people/", manage.people_add, name="people_add"),
    path(
        "organizations/<int:pk>/people/<int:membership_id>/end/",
        manage.people_end,
        name="people_end",
    ),
    path("registry/changes/", manage.changes, name="changes"),
    path("registry/changes/<int:pk>/decide/", manage.decide, name="decide"),
    path("registry/import/", imports.upload, name="import"),
    path("registry/import/<int:pk>/", imports.job, name="import_job"),
    path("registry/import/<int:pk>/errors.csv", imports.job_errors, name="import_errors"),
]
