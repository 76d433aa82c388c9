from django.urls import path

from madoguchi.api.main import api

urlpatterns = [path("", api.urls)]
