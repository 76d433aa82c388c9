from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "madoguchi.casework"
    label = "casework"
    verbose_name = "申請・案件"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from madoguchi.casework.models import CaseAttachment
        from madoguchi.casework.services.attachments import delete_stored_file
        from madoguchi.casework.services.payment import on_payables_batched, on_payment_settled
        from madoguchi.core.payables import payables_batched, payment_settled

        post_delete.connect(delete_stored_file, sender=CaseAttachment, dispatch_uid="casework.attachment_file")
        # The payables provider (granted cases) is registered by the program types that take applications.
        payment_settled.connect(on_payment_settled, dispatch_uid="casework.on_payment_settled")
        payables_batched.connect(on_payables_batched, dispatch_uid="casework.on_payables_batched")

        from madoguchi.casework.services.gaiji_keys import on_mapping_changed
        from madoguchi.residents.services.gaiji import mapping_changed

        mapping_changed.connect(on_mapping_changed, dispatch_uid="casework.gaiji_keys")
