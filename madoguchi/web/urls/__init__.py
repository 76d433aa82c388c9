"""URL map of the staff UI.  Each area has its own module in this package."""

from django.urls import include, path

from madoguchi.web.views import home

urlpatterns = [
    path("", home.home, name="home"),
    path("accounts/", include("madoguchi.web.urls.accounts")),
    path("residents/", include("madoguchi.web.urls.residents")),
    path("audit/", include("madoguchi.web.urls.audit")),
    path("register/", include("madoguchi.web.urls.register")),
    path("policy/", include("madoguchi.web.urls.policy")),
    path("cases/", include("madoguchi.web.urls.casework")),
    path("payments/", include("madoguchi.web.urls.payments")),
    path("handover/", include("madoguchi.web.urls.handover")),
    path("programs/", include("madoguchi.web.urls.programs")),
    path("admin/", include("madoguchi.web.urls.administration")),
]
