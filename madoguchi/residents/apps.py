from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "madoguchi.residents"
    label = "residents"
    verbose_name = "住民"

    def ready(self) -> None:
        # the ward's 外字対応表 is what core's key, PDF and hand-over functions map vendor 外字 with (ADR 0016)
        from madoguchi.core import gaiji
        from madoguchi.residents.services.gaiji import mapping_table

        gaiji.set_mapping_provider(mapping_table)
