from django.urls import path

from madoguchi.web.views import register, register_evidence, register_parts, register_templates

app_name = "register"

PART = "<slug:kind>"

urlpatterns = [
    path("", register.programs, name="programs"),
    path("new/", register.program_new, name="program_new"),
    path("file-register.<str:fmt>", register.file_register, name="file_register"),
    path("templates/", register_templates.template_list, name="templates"),
    path("evidence/", register_evidence.board, name="evidence_board"),
    path("templates/checklists/<slug:kind>/", register_templates.template_edit, name="template_edit"),
    path("templates/clauses/<str:party>/", register_templates.clauses_edit, name="clauses_edit"),
    path("<slug:code>/", register.program, name="program"),
    path("<slug:code>/new-revision/", register.new_revision, name="new_revision"),
    path("<slug:code>/measures/", register_evidence.measures, name="measures"),
    path("<slug:code>/evidence/new/", register_evidence.evidence_new, name="evidence_new"),
    path("<slug:code>/evidence/<int:pk>/file", register_evidence.evidence_file, name="evidence_file"),
    path("<slug:code>/r<int:number>/", register.revision, name="revision"),
    path("<slug:code>/r<int:number>/overview/", register.overview, name="overview"),
    path("<slug:code>/r<int:number>/submit/", register.submit, name="submit"),
    path("<slug:code>/r<int:number>/decide/", register.decide, name="decide"),
    path("<slug:code>/r<int:number>/withdraw/", register.withdraw, name="withdraw"),
    path("<slug:code>/r<int:number>/document.<str:fmt>", register.document, name="document"),
    path("<slug:code>/r<int:number>/answers/", register_parts.answers, name="answers"),
    path("<slug:code>/r<int:number>/certifications/new/", register_parts.certification_new, name="certification_new"),
    path(f"<slug:code>/r<int:number>/{PART}/new/", register_parts.part_edit, name="part_new"),
    path(f"<slug:code>/r<int:number>/{PART}/<int:pk>/", register_parts.part_edit, name="part_edit"),
    path(f"<slug:code>/r<int:number>/{PART}/<int:pk>/delete/", register_parts.part_delete, name="part_delete"),
]
