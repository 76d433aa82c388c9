from django.urls import include, path

from madoguchi.web.views.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", include("madoguchi.web.urls")),
    path("api/", include("madoguchi.api.urls")),
]
