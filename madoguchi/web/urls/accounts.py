from django.urls import path

from madoguchi.web.views import accounts as views
from madoguchi.web.views import api_tokens

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/totp/", views.totp_view, name="totp"),
    path("logout/", views.logout_view, name="logout"),
    path("api-tokens/", api_tokens.api_tokens, name="api_tokens"),
    path("api-tokens/<int:token_id>/revoke/", api_tokens.revoke, name="api_token_revoke"),
]
