"""Every setting, driven by environment variables read in config/env.py.

Topic modules (api, celery) are star-imported at the end so each concern has
one file; config/settings/test.py only changes speed knobs.
"""

from whitenoise.compress import Compressor

from config.env import BASE_DIR, VAR_DIR, env

# The development key is published here: Django's own deploy check flags its
# prefix, and the production settings refuse to start with it.
DEV_SECRET_KEY = "django-insecure-dev-only-key-published-in-the-repository-0123456789"
SECRET_KEY = env("DJANGO_SECRET_KEY", default=DEV_SECRET_KEY)
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "cadrecare.org.admin_app.AdminConfig",  # django.contrib.admin, open to the roles the access table lets in
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "cadrecare.core",
    "cadrecare.org",
    "cadrecare.audit",
    "cadrecare.rotation",
    "cadrecare.reminders",
    "cadrecare.health",
    "cadrecare.talks",
    "cadrecare.care",
    "cadrecare.selfservice",
    "cadrecare.training",
    "cadrecare.oversight",
    "cadrecare.establishment",
    "cadrecare.secondments",
    "cadrecare.web",
]

MIDDLEWARE = [
    "cadrecare.core.middleware.TrustedProxyMiddleware",  # first: everything after reads the real client
    "cadrecare.core.middleware.RequestSizeMiddleware",  # before anything reads a body
    "django.middleware.security.SecurityMiddleware",
    "cadrecare.core.middleware.SecurityHeadersMiddleware",
    # Serves the static files (the workbench's CSS, htmx, icons) in production and `make run`.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cadrecare.org.initial_password.InitialPasswordMiddleware",  # a one-time initial password is changed first
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cadrecare.core.middleware.ServiceErrorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "org.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cadrecare.web.context_processors.workbench",
            ],
        },
    },
]

# ---------------------------------------------------------------------------
# Database: PostgreSQL in production and tests; a SQLite file is only the
# embedded default of `make run`.
# ---------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'cadrecare.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Several worktrees or CI jobs may share one PostgreSQL server.
DATABASES["default"]["TEST"] = {"NAME": env("DATABASE_TEST_NAME", default="test_cadrecare")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web process and the worker write the same file: wait for the lock
    # instead of failing, and take it at BEGIN so two writers never deadlock.
    DATABASES["default"]["OPTIONS"] = {"timeout": 30, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")

# Redis is an accelerator: while it is down, throttles, lock-outs and the cache
# fall back to each process's memory (cadrecare.core.cache), so a request
# waits at most the socket timeout once per retry period, never fails.
CACHES = {
    "default": (
        {
            "BACKEND": "cadrecare.core.cache.FailoverRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", default="cadrecare")

# Every login door authenticates here, behind the one login throttle (cadrecare.org.auth):
# per account and address, per address, and per account from unknown addresses; failures
# past the free ones make the next attempt wait first_delay seconds, doubling up to max_delay.
AUTHENTICATION_BACKENDS = ["cadrecare.org.auth.LoginBackend"]
LOGIN_THROTTLE = {
    "account_failures": 5,
    "address_failures": 10,
    "elsewhere_failures": 10,
    "first_delay": 15,
    "max_delay": 15 * 60,
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ---------------------------------------------------------------------------
# People read Chinese: zh-hans first, English through Accept-Language.
# ---------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Message ids are the Chinese texts; locale/en holds their English (`make messages`).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Gzip/Brotli copies made by collectstatic; file names carry their version
# (htmx-2.0.11.min.js), so no manifest is needed and tests need no collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Source maps are for developers' tools, never sent to a user: compressing them (brotli at its
# best quality) took half of a first `make run`'s start.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "media/"

# Request bodies are refused (413) by their declared length before anything
# reads them (API4; cadrecare.core.middleware.RequestSizeMiddleware): uploads
# from a signed-in client up to UPLOAD_MAX_BYTES (a 10 MB check-up report and
# the form around it), every other body, and anything anonymous, up to 1 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
UPLOAD_MAX_BYTES = 11 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The workbench (cadrecare.web) signs people in with a session at /login/.
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
# Behind TLS in production (docker-compose sets these); off for `make run` on loopback.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The reverse proxies (addresses or networks, e.g. "10.0.0.5,10.1.0.0/24") whose
# X-Forwarded-For and X-Forwarded-Proto are believed; from anyone else these
# headers are dropped (cadrecare.core.middleware.TrustedProxyMiddleware).
TRUSTED_PROXIES = env.list("DJANGO_TRUSTED_PROXIES", default=[])
X_FRAME_OPTIONS = "DENY"
# Every page's scripts, styles and fonts come from this server (no CDN on an
# intranet); inline styles stay allowed for the admin's and htmx's style
# attributes, inline scripts do not (cadrecare.core.middleware.SecurityHeadersMiddleware).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# The demo's published password signs in only where this is on (`make run`, tests);
# the production settings turn it off.
DEMO_LOGINS = env.bool("CADRECARE_DEMO_LOGINS", default=True)

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="cadrecare@localhost")

# Reminders: when the daily digest goes out (Asia/Shanghai), which
# channels carry urgent notices and digests, the SMS gateway, the outbox's
# retries and leases.
REMINDERS_DIGEST_TIME = env("REMINDERS_DIGEST_TIME", default="08:00")
REMINDERS_URGENT_CHANNELS = env.list("REMINDERS_URGENT_CHANNELS", default=["email", "sms"])
REMINDERS_DIGEST_CHANNELS = env.list("REMINDERS_DIGEST_CHANNELS", default=["email"])
# SMS: the logging backend, or cadrecare.reminders.gateways.aliyun.AliyunSms /
# cadrecare.reminders.gateways.tencent.TencentSms with their settings below.
REMINDERS_SMS_BACKEND = env("REMINDERS_SMS_BACKEND", default="cadrecare.reminders.channels.LoggingSmsBackend")
# Outside these hours (Asia/Shanghai) non-urgent notices wait for the morning
# digest; a person may set their own quiet hours ("" = none).
REMINDERS_QUIET_HOURS = env("REMINDERS_QUIET_HOURS", default="18:00-08:00")
# One gateway call's limit, well under the send lease (REMINDERS_SEND_LEASE_SECONDS).
REMINDERS_CHANNEL_TIMEOUT_SECONDS = env.float("REMINDERS_CHANNEL_TIMEOUT_SECONDS", default=10.0)
# The SMS template's one variable is cut to this length (the vendors' limit for a variable).
REMINDERS_SMS_PARAM_MAX = env.int("REMINDERS_SMS_PARAM_MAX", default=35)
# The secret path segment of /api/v1/sms-receipts/<aliyun|tencent>/<token>/ (unset: no receipts).
REMINDERS_SMS_RECEIPT_TOKEN = env("REMINDERS_SMS_RECEIPT_TOKEN", default="")
ALIYUN_SMS_ENDPOINT = env("ALIYUN_SMS_ENDPOINT", default="https://dysmsapi.aliyuncs.com/")
ALIYUN_SMS_ACCESS_KEY_ID = env("ALIYUN_SMS_ACCESS_KEY_ID", default="")
ALIYUN_SMS_ACCESS_KEY_SECRET = env("ALIYUN_SMS_ACCESS_KEY_SECRET", default="")
ALIYUN_SMS_SIGN_NAME = env("ALIYUN_SMS_SIGN_NAME", default="")
ALIYUN_SMS_TEMPLATE_CODE = env("ALIYUN_SMS_TEMPLATE_CODE", default="")
ALIYUN_SMS_TEMPLATE_PARAM = env("ALIYUN_SMS_TEMPLATE_PARAM", default="content")
TENCENT_SMS_ENDPOINT = env("TENCENT_SMS_ENDPOINT", default="https://sms.tencentcloudapi.com/")
TENCENT_SMS_REGION = env("TENCENT_SMS_REGION", default="ap-guangzhou")
TENCENT_SMS_SECRET_ID = env("TENCENT_SMS_SECRET_ID", default="")
TENCENT_SMS_SECRET_KEY = env("TENCENT_SMS_SECRET_KEY", default="")
TENCENT_SMS_SDK_APP_ID = env("TENCENT_SMS_SDK_APP_ID", default="")
TENCENT_SMS_SIGN_NAME = env("TENCENT_SMS_SIGN_NAME", default="")
TENCENT_SMS_TEMPLATE_ID = env("TENCENT_SMS_TEMPLATE_ID", default="")
# WeCom (企业微信); 政务微信 is the same API at the province's own address.
WECOM_BASE_URL = env("WECOM_BASE_URL", default="https://qyapi.weixin.qq.com")
WECOM_CORP_ID = env("WECOM_CORP_ID", default="")
WECOM_CORP_SECRET = env("WECOM_CORP_SECRET", default="")
WECOM_AGENT_ID = env("WECOM_AGENT_ID", default="")
# DingTalk (钉钉) work notifications; a private deployment at its own address.
DINGTALK_BASE_URL = env("DINGTALK_BASE_URL", default="https://oapi.dingtalk.com")
DINGTALK_APP_KEY = env("DINGTALK_APP_KEY", default="")
DINGTALK_APP_SECRET = env("DINGTALK_APP_SECRET", default="")
DINGTALK_AGENT_ID = env("DINGTALK_AGENT_ID", default="")
REMINDERS_MAX_ATTEMPTS = env.int("REMINDERS_MAX_ATTEMPTS", default=5)
REMINDERS_RETRY_BASE_SECONDS = env.int("REMINDERS_RETRY_BASE_SECONDS", default=60)
REMINDERS_DISPATCH_BATCH = env.int("REMINDERS_DISPATCH_BATCH", default=500)
# A claimed delivery whose task never ran is claimed again after this long (the
# send lease, after which a killed sender's row is sent again, is in celery.py).
REMINDERS_CLAIM_LEASE_SECONDS = env.int("REMINDERS_CLAIM_LEASE_SECONDS", default=60)
# Seconds CP-SAT may spend on one unit's month before the roster is reported
# as found-but-not-proved-best, or the run as failed (under 10 s each).
ROTATION_SOLVE_SECONDS = env.float("ROTATION_SOLVE_SECONDS", default=20.0)
# Searches side by side in one solve. Generation scales by worker processes, one
# per core: a second search in each would
# only take the core of the next worker's township. The roster depends on this.
ROTATION_SOLVE_SEARCHES = env.int("ROTATION_SOLVE_SEARCHES", default=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

from config.settings.api import *  # noqa: E402,F403
from config.settings.celery import *  # noqa: E402,F403
