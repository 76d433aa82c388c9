from django.apps import AppConfig


class HandoverConfig(AppConfig):
    name = "madoguchi.handover"
    label = "handover"
    verbose_name = "受渡・保存・消去"

    def ready(self) -> None:
        # Registries fill themselves on import: dataset providers and erasers (own and other apps').
        from madoguchi.handover import datasets, erasers, erasers_apps  # noqa: F401
        from madoguchi.handover.services.ledger import connect_zengin_signal
        from madoguchi.handover.services.measures import worst_labels
        from madoguchi.register.evidence_hooks import register_measure_status_provider

        erasers_apps.register_all()
        connect_zengin_signal()
        register_measure_status_provider(worst_labels)
