from django.urls import path

from madoguchi.web.views import bank_changes
from madoguchi.web.views import payments as views

app_name = "payments"

urlpatterns = [
    path("", views.batches, name="batches"),
    path("new/", views.batch_create, name="batch_create"),
    path("jobs/<int:pk>/", views.batch_job, name="batch_job"),
    path("<int:pk>/", views.batch_detail, name="batch"),
    path("<int:pk>/lock/", views.batch_lock, name="batch_lock"),
    path("<int:pk>/export/", views.batch_export, name="batch_export"),
    path("<int:pk>/close/", views.batch_close, name="batch_close"),
    path("<int:pk>/discard/", views.batch_discard, name="batch_discard"),
    path("<int:pk>/download/<str:kind>/", views.download, name="download"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/items/<int:item_pk>/mark/", views.item_mark, name="item_mark"),
    path("<int:pk>/items/<int:item_pk>/remove/", views.item_remove, name="item_remove"),
    path("failed/", views.failed, name="failed"),
    path("items/<int:item_pk>/correct/", views.correct, name="correct"),
    path("retransfer/", views.retransfer, name="retransfer"),
    path("bank-lookup/", views.bank_lookup, name="bank_lookup"),
    path("profiles/<slug:code>/", views.profile, name="profile"),
    path("bank-changes/", bank_changes.changes, name="bank_changes"),
    path("bank-changes/<int:pk>/delete/", bank_changes.delete, name="bank_change_delete"),
]
