from django.urls import path

from madoguchi.web.views import (
    casework,
    casework_admin,
    casework_banks,
    casework_files,
    casework_inquiries,
    casework_intake,
)

app_name = "casework"

urlpatterns = [
    path("", casework.board, name="board"),
    path("case/<int:pk>/", casework.case_detail, name="detail"),
    path("case/<int:pk>/step/", casework.case_step, name="step"),
    path("case/<int:pk>/edit/", casework_intake.edit, name="edit"),
    path("case/<int:pk>/assign/", casework.assign, name="assign"),
    path("case/<int:pk>/account/", casework.correct_account, name="account"),
    path("case/<int:pk>/attachments/", casework_files.upload, name="attachment_upload"),
    path("attachment/<int:pk>/", casework_files.download, name="attachment"),
    path("case/<int:pk>/notice/<str:kind>.pdf", casework.notice_pdf, name="notice"),
    path("candidate/<int:pk>/settle/", casework.settle, name="settle"),
    path("resent/<int:pk>/seen/", casework.resent_seen, name="resent_seen"),
    path("jobs/<int:pk>/", casework_admin.job_status, name="job"),
    path("jobs/<int:pk>/pdf/", casework_admin.job_pdf, name="job_pdf"),
    path("<slug:code>/queue/", casework.queue_all, name="queue_all"),
    path("<slug:code>/list/", casework.case_list, name="list"),
    path("<slug:code>/import/", casework_intake.import_csv, name="import"),
    path("<slug:code>/profile/", casework_intake.profile_edit, name="profile"),
    path("<slug:code>/paper/", casework_intake.paper, name="paper"),
    path("<slug:code>/banks/", casework_banks.bank_lookup, name="bank_lookup"),
    path("<slug:code>/duplicates/", casework_intake.duplicates, name="duplicates"),
    path("<slug:code>/settings/", casework_admin.program_settings, name="settings"),
    path("<slug:code>/settings/templates/<str:kind>/", casework_admin.template_edit, name="template"),
    path("<slug:code>/simulate/", casework_admin.simulate, name="simulate"),
    path("<slug:code>/notices/", casework_admin.notices, name="notices"),
    path("<slug:code>/inquiries/", casework_admin.inquiries, name="inquiries"),
    path("<slug:code>/inquiries/resident/<int:resident_id>/", casework_inquiries.resident_inquiries,
         name="resident_inquiries"),
]
