from django.urls import path

from madoguchi.web.views import residents

app_name = "residents"

urlpatterns = [
    path("", residents.search, name="search"),
    path("import/", residents.import_view, name="import"),
    path("<int:resident_id>/", residents.detail, name="detail"),
]
