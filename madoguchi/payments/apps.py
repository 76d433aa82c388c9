from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "madoguchi.payments"
    label = "payments"
    verbose_name = "支払"

    def ready(self) -> None:
        # merged and closed bank codes kept by the ward, read by core at account entry and batch lock (ADR 0016)
        from madoguchi.core import bankchanges
        from madoguchi.payments.services.bank_changes import changes

        bankchanges.set_provider(changes)
