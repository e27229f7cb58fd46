"""Django REST framework, JWT and OpenAPI settings."""

from datetime import timedelta

from config.env import env

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # JWT and session, each refusing a login that still holds its initial password (cadrecare.org.initial_password).
        "cadrecare.org.initial_password.GatedJWTAuthentication",
        "cadrecare.org.initial_password.GatedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Filters and orderings only by fields the reader sees unmasked (the models' Privacy classes).
    "DEFAULT_FILTER_BACKENDS": [
        "cadrecare.core.filters.ScopedFilterBackend",
        "cadrecare.core.filters.PrivacyOrderingFilter",
    ],
    # JSON without numbers beyond a float or absurd nesting (cadrecare.core.parsers); forms as DRF's.
    "DEFAULT_PARSER_CLASSES": [
        "cadrecare.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "cadrecare.core.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "cadrecare.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "cadrecare.core.errors.exception_handler",
    # Logins are throttled by cadrecare.org.auth (the one login throttle, every door); a token
    # refresh is no login and has its own, generous rate per client. The per-login rate can be
    # raised where many clients share one login (the load benchmark's fifty users on the demo's accounts).
    "DEFAULT_THROTTLE_RATES": {"token-refresh": "120/min", "user": env("API_USER_THROTTLE_RATE", default="600/min")},
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=15),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=1),
    "UPDATE_LAST_LOGIN": True,
    # A refresh token is good once: refreshing returns a new one and blacklists the old; the old
    # presented again revokes all of the account's tokens (cadrecare.core.views).
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    # Tokens carry a digest of the password hash: a password change ends them, as a
    # deactivation does (CHECK_USER_IS_ACTIVE, the default).
    "CHECK_REVOKE_TOKEN": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "cadrecare API",
    "DESCRIPTION": "乡镇干部关爱：轮休排班、健康体检、家属信息、走访慰问、六必谈与提醒督办。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cadrecare.core.schema.document_error_responses",
        "cadrecare.core.schema.describe_domains",
    ],
    # Swagger UI and Redoc from the project's own static files
    # (drf-spectacular-sidecar): government intranets have no internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets sharing a field name get names of their own (else drf-spectacular
    # warns, and `check --deploy` is not clean).
    "ENUM_NAME_OVERRIDES": {
        "LeaderPostEnum": "cadrecare.org.choices.LeaderPost",
        "RankEnum": "cadrecare.org.choices.Rank",
        "CadreStatusEnum": "cadrecare.org.choices.CadreStatus",
        "HolidayKindEnum": "cadrecare.rotation.choices.HolidayKind",
        "RestRequestKindEnum": "cadrecare.rotation.choices.RequestKind",
        "CheckupKindEnum": "cadrecare.health.choices.CheckupKind",
        "CampaignStatusEnum": "cadrecare.health.choices.CampaignStatus",
        "MeasureKindEnum": "cadrecare.care.choices.MeasureKind",
        "FamilyEventKindEnum": "cadrecare.care.choices.FamilyEventKind",
        "TriggerKindEnum": "cadrecare.talks.choices.TriggerKind",
        "HardshipCategoryEnum": "cadrecare.care.choices.HardshipCategory",
        "SelfReportKindEnum": "cadrecare.selfservice.choices.ReportKind",
        "DecisionEnum": "cadrecare.selfservice.choices.Decision",
        "HeartMessageStatusEnum": "cadrecare.selfservice.choices.MessageStatus",
        "ContactWayEnum": "cadrecare.care.choices.ContactWay",
        "SecondmentStatusEnum": "cadrecare.secondments.choices.SecondmentStatus",
        "InterviewLineStatusEnum": "cadrecare.oversight.choices.LineStatus",
    },
}
