from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "madoguchi.register"
    label = "register"
    verbose_name = "事業台帳"

    def ready(self) -> None:
        from madoguchi.core.contracts import register_contract_period_provider
        from madoguchi.register.contracts import has_declared_contract

        register_contract_period_provider(has_declared_contract, name="register")
