from django.urls import path

from madoguchi.web.views import handover as views
from madoguchi.web.views import handover_paper

app_name = "handover"

urlpatterns = [
    path("", views.ledger_list, name="ledger"),
    path("ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("ledger/<int:pk>/", views.entry_detail, name="entry"),
    path("ledger/<int:pk>/certificate/", views.entry_certificate, name="entry_certificate"),
    path("packages/new/", views.package_start, name="package_start"),
    path("packages/new/<int:program_pk>/", views.package_new, name="package_new"),
    path("paper/new/<int:program_pk>/", handover_paper.paper_new, name="paper_new"),
    path("packages/<int:pk>/", views.package_detail, name="package"),
    path("packages/<int:pk>/status/", views.package_progress, name="package_status"),
    path("packages/<int:pk>/download/", views.package_download, name="package_download"),
    path("packages/<int:pk>/password-notice/", views.package_notice, name="package_notice"),
    path("retention/", views.retention_list, name="retention"),
    path("erasure/new/", views.erasure_new, name="erasure_new"),
    path("erasure/<int:pk>/", views.erasure_detail, name="erasure"),
    path("erasure/<int:pk>/certificate/", views.erasure_certificate, name="erasure_certificate"),
]
