from django.urls import include, path

urlpatterns = [
    path("", include("madoguchi.web.urls")),
    path("api/", include("madoguchi.api.urls")),
]
