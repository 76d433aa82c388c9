from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "madoguchi.web"
    label = "web"
    verbose_name = "画面"
