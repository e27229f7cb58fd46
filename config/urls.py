from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from cadrecare.core.views import HealthView
from cadrecare.org.api.views import LoginTokenView, MePasswordView, MeView, RotatingTokenRefreshView
from cadrecare.org.auth import ThrottledAuthenticationForm
from cadrecare.reminders.api.views import MyChannelsView, SmsReceiptView
from config.api_router import router

urlpatterns = [
    path("healthz", HealthView.as_view(), name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(router.urls)),
    path("api/v1/me/", MeView.as_view(), name="me"),
    path("api/v1/me/channels/", MyChannelsView.as_view(), name="me-channels"),
    path(
        "api/v1/sms-receipts/<str:vendor>/<str:token>/",
        SmsReceiptView.as_view(),
        name="sms-receipts",
    ),
    path("api/v1/me/password/", MePasswordView.as_view(), name="me-password"),
    path("api/v1/auth/token/", LoginTokenView.as_view(), name="token"),
    path("api/v1/auth/token/refresh/", RotatingTokenRefreshView.as_view(), name="token-refresh"),
    # The browsable API's session login, through the login throttle like every door.
    path(
        "api/auth/",
        include(
            (
                [
                    path(
                        "login/",
                        auth_views.LoginView.as_view(
                            template_name="rest_framework/login.html", authentication_form=ThrottledAuthenticationForm
                        ),
                        name="login",
                    ),
                    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
                ],
                "rest_framework",
            )
        ),
    ),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Served from local static files; Swagger UI's start script comes from the same address (no inline script).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema", template_name="core/redoc.html"), name="redoc"),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the workbench's language switch
    path("", include("cadrecare.web.urls")),  # the workbench (工作台), last: it owns the root
]
