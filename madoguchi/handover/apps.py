from django.apps import AppConfig


class HandoverConfig(AppConfig):
    name = "madoguchi.handover"
    label = "handover"
    verbose_name = "受渡・保存・消去"
