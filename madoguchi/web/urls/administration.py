from django.urls import path

from madoguchi.web.views import admin_organisations, admin_settings, admin_users

app_name = "administration"

urlpatterns = [
    path("", admin_settings.index, name="index"),
    path("users/", admin_users.users, name="users"),
    path("users/<int:user_id>/", admin_users.user_detail, name="user"),
    path("users/<int:user_id>/<slug:action>/", admin_users.user_action, name="user_action"),
    path("organisations/", admin_organisations.organisations, name="organisations"),
    path("roles/", admin_settings.roles, name="roles"),
    path("terminals/", admin_settings.terminals, name="terminals"),
    path("terminals/<int:terminal_id>/toggle/", admin_settings.terminal_toggle, name="terminal_toggle"),
]
