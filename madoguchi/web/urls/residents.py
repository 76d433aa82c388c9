from django.urls import path

from madoguchi.web.views import gaiji, residents

app_name = "residents"

urlpatterns = [
    path("", residents.search, name="search"),
    path("import/", residents.import_view, name="import"),
    path("import/jobs/<int:job_id>/", residents.import_job, name="import_job"),
    path("import/jobs/<int:job_id>/errors.csv", residents.import_job_errors, name="import_job_errors"),
    path("<int:resident_id>/", residents.detail, name="detail"),
    path("gaiji/", gaiji.table, name="gaiji"),
]
