from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "madoguchi.programs"
    label = "programs"
    verbose_name = "事業類型"

    def ready(self) -> None:
        # One package per program type registers its spec and wires it into the engines (ADR 0010).
        from madoguchi.programs.registry import autodiscover

        autodiscover()

