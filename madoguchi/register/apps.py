from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "madoguchi.register"
    label = "register"
    verbose_name = "事業台帳"
