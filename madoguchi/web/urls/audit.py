from django.urls import path

from madoguchi.web.views import audit as views

app_name = "audit"

urlpatterns = [
    path("", views.log_list, name="log"),
    path("<int:row_id>/", views.log_detail, name="detail"),
    path("export.csv", views.log_export, name="export"),
    path("verify/", views.verify, name="verify"),
    path("analysis/", views.analysis, name="analysis"),
]
