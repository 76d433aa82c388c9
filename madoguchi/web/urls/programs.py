"""The program page and enrolment; each program type's own screens (a spec's ``urlconf``) under
``programs/type/<type>/``."""

from django.urls import include, path

from madoguchi.programs.registry import specs
from madoguchi.web.views import programs

app_name = "programs"

urlpatterns = [
    path("<slug:code>/", programs.page, name="page"),
    path("<slug:code>/enrol/", programs.enrol, name="enrol"),
    *[path(f"type/{spec.code}/", include(spec.urlconf)) for spec in specs() if spec.urlconf],
]
