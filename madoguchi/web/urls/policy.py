from django.urls import path

from madoguchi.web.views import policy

app_name = "policy"

urlpatterns = [
    path("", policy.contractors, name="contractors"),
    path("break-glass/", policy.break_glass, name="break_glass"),
    path("<slug:code>/", policy.detail, name="detail"),
]
