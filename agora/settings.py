"""Agora settings. Everything that differs between machines comes from the
environment (see docs/deployment.md); the defaults give a working demo on
SQLite."""

import importlib.util
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from agora.env import csp_source, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("AGORA_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("AGORA_DEBUG", False)
DEVELOPMENT_SECRET_KEY = "insecure-development-key-change-me-in-production-0123456789"
SECRET_KEY = env_str("AGORA_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
# Organizations are found by host name; the proxy in front restricts hosts too.
ALLOWED_HOSTS = env_list("AGORA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("AGORA_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    # Two-factor authentication (authenticator app + recovery codes), required for
    # the staff of organizations that ask for it (Organization.staff_mfa_required).
    "allauth.mfa",
    # OpenID Connect identities (FranceConnect-style) for verifications; one
    # SocialApp per provider, configured by officers in the back-office.
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "agora.core",
    "agora.accounts",
    "agora.actionlog",
    "agora.taxonomy",
    "agora.spaces",
    "agora.components",
    "agora.web",
    "agora.backoffice",
    # Cross-cutting layers used by every component.
    "agora.follows",
    "agora.notifications",
    "agora.outbox",
    "agora.comments",
    "agora.moderation",
    "agora.conversations",
    "agora.verifications",
    "agora.desk",
    "agora.tally",
    "agora.sortition",
    "agora.questionnaires",
    # Participation statistics: aggregates components report to through statistics.api.
    "agora.statistics",
    "agora.newsletters",
    # The public API (/api/v1/, django-ninja) and the staff's tokens; components bring their routers.
    "agora.api",
    "agora.opendata",
    "agora.privacy",
    # Components (plug-ins): each registers its manifest in component.py.
    "agora.components.pages",
    "agora.components.news",
    "agora.components.proposals",
    "agora.components.proposals.evaluation",
    "agora.components.budgets",
    "agora.components.accountability",
    "agora.components.surveys",
    "agora.components.debates",
    "agora.components.sortitions",
    "agora.components.opinions",
    "agora.components.meetings",
    "agora.components.initiatives",
    "agora.components.votations",
    "agora.demo",
]

MIDDLEWARE = [
    # First: every response, error pages included, carries the request id (logs too).
    "agora.core.requests.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy header on every response (settings below); before
    # anything that renders, so that request.csp_nonce exists.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "agora.core.middleware.OrganizationMiddleware",
    "agora.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # /api/: rate limit per address, CORS for reads, ETags, reads from the page cache (agora.api.middleware).
    "agora.api.middleware.ApiMiddleware",
    # Pages (GET, HEAD) read what they need to know about the person in one query.
    "agora.visitor.PageScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "agora.accounts.middleware.TermsAcceptanceMiddleware",
    # Before the desk: the staff member's own account is checked, not the person helped.
    "agora.accounts.middleware.StaffMFAMiddleware",
    # A desk agent acting for a person: request.user becomes that person.
    "agora.desk.middleware.DeskMiddleware",
    # Page views counted per organization, space and day, without cookies (agora.statistics.visits).
    "agora.statistics.visits.VisitsMiddleware",
]

ROOT_URLCONF = "agora.urls"
WSGI_APPLICATION = "agora.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "agora" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "agora.core.context_processors.organization",
            ],
            "builtins": [
                "agora.core.templatetags.agora",
                "agora.core.templatetags.formats",
                "agora.core.templatetags.parts",
            ],
        },
    }
]

# Help texts are escaped by every form, whatever template shows them (Django's
# own form templates mark them safe).
FORM_RENDERER = "agora.core.forms.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'agora.sqlite3'}"),
        conn_max_age=env_int("AGORA_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if not env_str("DATABASE_URL"):
        VAR_DIR.mkdir(parents=True, exist_ok=True)  # a fresh clone has no var/ yet
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # Concurrent writers wait (up to 20 s) instead of failing at once ...
            "timeout": 20,
            # ... which SQLite only does when a transaction takes the write lock at BEGIN: a
            # deferred transaction that read first and then writes gets "database is locked"
            # at once, without waiting, when another one writes (the demo answered parallel
            # ballots, supports and comment votes with 500s). Errors of the data itself
            # (IntegrityError on a unique constraint) are raised as before.
            "transaction_mode": "IMMEDIATE",
            # Readers never wait for a writer, nor a writer for readers (a persistent mode of the file).
            "init_command": "PRAGMA journal_mode=WAL",
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    from agora.db_options import postgres_options

    # Timeouts and keepalives on every connection (agora/db_options.py); manage.py
    # marks commands (migrations, db_worker, exports), which get their own set.
    DATABASES["default"]["OPTIONS"] = postgres_options(
        command=env_str("AGORA_PROCESS") == "command", given=DATABASES["default"].get("OPTIONS")
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions and cache live in the shared database (or Redis) so that any app
# server can answer any request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Public pages served to anonymous visitors from the cache, at most this old
# (agora.core.pagecache; 0 turns the page cache off).
AGORA_PAGE_CACHE_SECONDS = env_int("AGORA_PAGE_CACHE_SECONDS", 300)
# What a process memoises for page reads (a component, its phases, a budget)
# is kept at most this long, even while the content version stays the same
# (agora.core.pagecache.memo; writes never use it).
AGORA_MEMO_SECONDS = env_int("AGORA_MEMO_SECONDS", 5)
REDIS_URL = env_str("AGORA_REDIS_URL")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        # Room for the rendered cards of the ideas' lists (one row each; Django's default is 300 rows).
        "default": {
            "BACKEND": "agora.core.dbcache.DatabaseCache",
            "LOCATION": "agora_cache",
            "OPTIONS": {"MAX_ENTRIES": env_int("AGORA_DB_CACHE_MAX_ENTRIES", 20_000)},
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail is the login; a nickname is the public handle.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "nickname"
ACCOUNT_USER_MODEL_EMAIL_FIELD = "email"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_SIGNUP_FORM_CLASS = "agora.accounts.forms.SignupExtraForm"
ACCOUNT_ADAPTER = "agora.accounts.adapter.AccountAdapter"
# allauth's forms with Agora's labels, help texts and field order.
ACCOUNT_FORMS = {
    "signup": "agora.accounts.allauth_forms.SignupForm",
    "login": "agora.accounts.allauth_forms.LoginForm",
    "reset_password": "agora.accounts.allauth_forms.ResetPasswordForm",
    "reset_password_from_key": "agora.accounts.allauth_forms.ResetPasswordKeyForm",
    "change_password": "agora.accounts.allauth_forms.ChangePasswordForm",
    "add_email": "agora.accounts.allauth_forms.AddEmailForm",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_RATE_LIMITS = {
    # Failed logins (a correct password is not counted): 5 in 5 minutes per account AND
    # address together (the "key", see AccountAdapter._get_login_attempts_cache_key), so
    # nobody can lock someone else out; then 100 an hour per address against credential
    # stuffing, which a desk or a shared network does not reach with typos. The key rate
    # comes first: attempts it refuses are not counted against the address.
    "login_failed": "5/5m/key,100/1h/ip",
    # Every login form post, right or wrong (allauth's default is 30 a minute): a school or
    # a desk behind one address logs many people in at nine o'clock.
    "login": "120/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/180s/key",
    # budgets: checking a ballot's receipt code (agora.components.budgets.views.receipt_check)
    "receipt_check": "10/m/ip",
    # looking up an address on the map (agora.core.views.geocode): calls the geocoder
    "geocode": "30/m/ip",
    # surveys: answers sent without an account (agora.components.surveys.views.respond)
    "survey_answer": "10/10m/ip",
}
# Public API (agora.api.middleware): requests a minute per address; 0 turns the limit off.
AGORA_API_RATE_PER_MINUTE = env_int("AGORA_API_RATE_PER_MINUTE", 600)
# The bot challenge of forms sent without an account (agora.moderation.challenges, ALTCHA):
# PBKDF2 iterations per try, the counter drawn below the maximum (about a second in a
# browser with these), and how long a challenge is good for.
AGORA_ALTCHA_COST = env_int("AGORA_ALTCHA_COST", 1000)
AGORA_ALTCHA_MAX_NUMBER = env_int("AGORA_ALTCHA_MAX_NUMBER", 3000)
AGORA_ALTCHA_SECONDS = env_int("AGORA_ALTCHA_SECONDS", 3600)
# Files of every answer of a survey written in the background are removed after this many days
# (agora.components.surveys.cleanup: after each export, and `manage.py remove_old_survey_exports`).
AGORA_SURVEY_EXPORT_DAYS = env_int("AGORA_SURVEY_EXPORT_DAYS", 7)
ACCOUNT_USERNAME_MIN_LENGTH = 3
# Two-factor authentication (agora.accounts.mfa): codes of an authenticator app
# (one period of clock drift tolerated) and recovery codes; no security keys yet.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "agora.accounts.mfa.MFAAdapter"
MFA_TOTP_TOLERANCE = 1
SECRET_KEY_FALLBACKS = env_list("AGORA_SECRET_KEY_FALLBACKS")

LANGUAGE_CODE = "fr"
# The interface languages this installation ships: each has a complete, compiled catalogue in
# every locale/ directory (agora/core/tests/test_translations.py checks it); organizations
# choose theirs among them. Adding one: docs/languages.md.
LANGUAGES = [("fr", _("French")), ("en", _("English")), ("es", _("Spanish")), ("de", _("German"))]
# Languages Django itself does not know: their names and direction, as django.conf.locale has
# them for the others (Corsican, spoken in Corsica, whose platform ran in French and Corsican).
EXTRA_LANG_INFO = {
    "co": {"bidi": False, "code": "co", "name": "Corsican", "name_local": "Corsu"},
}
LANG_INFO.update(EXTRA_LANG_INFO)
LOCALE_PATHS = [BASE_DIR / "agora" / "locale"]
LANGUAGE_COOKIE_NAME = "agora_language"
TIME_ZONE = env_str("AGORA_TIME_ZONE", "Europe/Paris")
USE_I18N = True
# Django's own formats (form widgets, |date:"DATE_FORMAT") agree with agora.core.formats,
# which every page and e-mail uses: a narrow no-break space between French thousands.
FORMAT_MODULE_PATH = ["agora.core.locale_formats"]
USE_TZ = True

STATIC_URL = "/static/"
# Leaflet's JS and CSS come from the pinned django-leaflet wheel (no npm, no
# CDN). Its app is not installed: its admin module needs GeoDjango and GDAL,
# which Agora does not use (points are plain latitude/longitude fields).
_leaflet = importlib.util.find_spec("leaflet")
if _leaflet is None or not _leaflet.submodule_search_locations:
    raise ImproperlyConfigured("django-leaflet is not installed (requirements.txt).")
STATICFILES_DIRS = [Path(_leaflet.submodule_search_locations[0]) / "static"]
# Map tiles: any XYZ tile server; the default is OpenStreetMap's.
MAP_TILES_URL = env_str("AGORA_MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = env_str(
    "AGORA_MAP_TILES_ATTRIBUTION", '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
)
# Addresses to map positions (agora.core.geocoding): "local" (the gazetteer shipped
# with Agora: the demo town; or AGORA_GEOCODER_GAZETTEER), "ban" (France's Base
# Adresse Nationale), "nominatim" (OpenStreetMap), "none", or a dotted path.
AGORA_GEOCODER = env_str("AGORA_GEOCODER", "local")
AGORA_GEOCODER_URL = env_str("AGORA_GEOCODER_URL")  # a self-hosted BAN (addok) or Nominatim
AGORA_GEOCODER_NEAR = env_str("AGORA_GEOCODER_NEAR")  # "47.50,1.10": results near the town first
AGORA_GEOCODER_COUNTRIES = env_str("AGORA_GEOCODER_COUNTRIES", "fr")  # Nominatim's countrycodes
AGORA_GEOCODER_GAZETTEER = env_str("AGORA_GEOCODER_GAZETTEER")  # a JSON file for the local geocoder
AGORA_GEOCODER_USER_AGENT = env_str("AGORA_GEOCODER_USER_AGENT", "Agora participatory platform")

# Machine translation of published content (agora.core.machine_translation; an organization
# turns it on in its settings): "" none, "local" (offline, marked "[EN] …": the demo, tests),
# "deepl" (AGORA_DEEPL_KEY, AGORA_DEEPL_URL), "libretranslate" (AGORA_LIBRETRANSLATE_URL,
# AGORA_LIBRETRANSLATE_KEY), or the dotted path of a backend class. docs/languages.md.
AGORA_TRANSLATION_BACKEND = env_str("AGORA_TRANSLATION_BACKEND", "local" if DEBUG else "")
AGORA_DEEPL_KEY = env_str("AGORA_DEEPL_KEY")
AGORA_DEEPL_URL = env_str("AGORA_DEEPL_URL", "https://api-free.deepl.com/v2/translate")
AGORA_LIBRETRANSLATE_URL = env_str("AGORA_LIBRETRANSLATE_URL")
AGORA_LIBRETRANSLATE_KEY = env_str("AGORA_LIBRETRANSLATE_KEY")
STATIC_ROOT = Path(env_str("AGORA_STATIC_ROOT", str(VAR_DIR / "static")))
# An absolute address puts public media on a separate domain (docs/deployment.md).
MEDIA_URL = env_str("AGORA_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("AGORA_MEDIA_ROOT", str(VAR_DIR / "media")))
# Files only permission-checked views serve (drafts' attachments, identity
# documents): outside MEDIA_ROOT, so no public address reaches them.
# The demo serves /media/ itself (agora.core.views.media); production lets the
# web server or a media domain do it (docs/deployment.md).
AGORA_SERVE_MEDIA = DEBUG or env_bool("AGORA_SERVE_MEDIA", False)
AGORA_PRIVATE_MEDIA_ROOT = Path(env_str("AGORA_PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
STORAGES: dict[str, dict[str, Any]] = {
    # Written to a temporary name, moved into place when complete (agora.core.files).
    "default": {"BACKEND": "agora.core.files.AtomicFileSystemStorage"},
    "private": {"BACKEND": "agora.core.files.PrivateFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if env_str("AGORA_S3_BUCKET"):
    # Media in S3-compatible storage so app servers keep no local state.
    _s3 = {
        "bucket_name": env_str("AGORA_S3_BUCKET"),
        "endpoint_url": env_str("AGORA_S3_ENDPOINT_URL") or None,
        "access_key": env_str("AGORA_S3_ACCESS_KEY"),
        "secret_key": env_str("AGORA_S3_SECRET_KEY"),
        "region_name": env_str("AGORA_S3_REGION") or None,
        "default_acl": None,
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "agora.core.s3.PublicMediaS3Storage",
        "OPTIONS": {
            **_s3,
            # A separate media domain (a CDN in front of the bucket) serving public
            # files without a signature; without it every URL is signed.
            **(
                {"custom_domain": env_str("AGORA_S3_PUBLIC_DOMAIN"), "querystring_auth": False}
                if env_str("AGORA_S3_PUBLIC_DOMAIN")
                else {}
            ),
        },
    }
    # Private files: under private/ of the bucket (or in a bucket of their own),
    # never publicly readable; the permission-checked views redirect to a
    # signed URL that expires.
    STORAGES["private"] = {
        "BACKEND": "agora.core.s3.PrivateMediaS3Storage",
        "OPTIONS": {
            **_s3,
            "bucket_name": env_str("AGORA_S3_PRIVATE_BUCKET") or _s3["bucket_name"],
            "location": "private",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env_int("AGORA_S3_PRIVATE_URL_SECONDS", 300),
        },
    }
if DEBUG or env_bool("AGORA_SIMPLE_STATIC", False):
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# Mail: real SMTP in production; console in the demo; locmem in tests.
EMAIL_BACKEND = env_str("AGORA_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("AGORA_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("AGORA_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("AGORA_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("AGORA_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("AGORA_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("AGORA_DEFAULT_FROM_EMAIL", "Agora <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds before a silent relay counts as down (the e-mail is retried later).
EMAIL_TIMEOUT = env_int("AGORA_EMAIL_TIMEOUT", 30)
# The outbox (agora.outbox, docs/deployment.md): a row claimed by a worker is
# taken up again by `send_outbox` once its lease expires (the worker died);
# transient failures are retried after 1, 2, 4 ... x RETRY seconds (at most an
# hour apart), MAX_ATTEMPTS times, then shown as failed in the back-office.
AGORA_OUTBOX_LEASE_SECONDS = env_int("AGORA_OUTBOX_LEASE_SECONDS", 300)
AGORA_OUTBOX_RETRY_SECONDS = env_int("AGORA_OUTBOX_RETRY_SECONDS", 60)
AGORA_OUTBOX_MAX_ATTEMPTS = env_int("AGORA_OUTBOX_MAX_ATTEMPTS", 12)
# Newsletters (agora.newsletters.sending): recipients handed to the outbox per batch (one
# transaction each), and how long a sending may go without a batch before send_newsletters
# (cron) takes it as abandoned by a dead worker and queues it again.
AGORA_NEWSLETTER_BATCH = env_int("AGORA_NEWSLETTER_BATCH", 500)
AGORA_NEWSLETTER_STALE_SECONDS = env_int("AGORA_NEWSLETTER_STALE_SECONDS", 120)

# Identity providers are used to verify a logged-in account (process=connect),
# not to create accounts by themselves; tokens are not kept (minimal evidence).
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_QUERY_EMAIL = False
# Every request allauth makes (discovery, tokens, keys, user info) goes through
# agora.core.outgoing: public addresses only, timeouts, size limit.
SOCIALACCOUNT_ADAPTER = "agora.accounts.adapter.SocialAccountAdapter"
# Host names or networks the server may call although they are private (an identity
# provider on the intranet): "idp.intranet.example,10.20.0.0/16". See docs/deployment.md.
AGORA_OUTGOING_ALLOWED_HOSTS = env_list("AGORA_OUTGOING_ALLOWED_HOSTS")

# SMS codes (verifications): a dotted path to a backend of agora.verifications.sms.
# The default writes messages to the console (demo); "...sms.FileBackend" writes
# them to AGORA_SMS_FILE_PATH; "...sms.HttpGatewayBackend" posts them to a gateway.
AGORA_SMS_BACKEND = env_str("AGORA_SMS_BACKEND", "agora.verifications.sms.ConsoleBackend")
AGORA_SMS_FILE_PATH = env_str("AGORA_SMS_FILE_PATH", str(VAR_DIR / "sms"))
AGORA_SMS_GATEWAY_URL = env_str("AGORA_SMS_GATEWAY_URL")
AGORA_SMS_GATEWAY_TOKEN = env_str("AGORA_SMS_GATEWAY_TOKEN")
AGORA_SMS_SENDER = env_str("AGORA_SMS_SENDER", "Agora")
# Retention of verification evidence (see docs/verifications.md).
AGORA_VERIFICATION_PENDING_DAYS = env_int("AGORA_VERIFICATION_PENDING_DAYS", 90)

# One task API: immediate in the demo and tests, a database worker in production.
# The AGPL asks that people using the site can get its source: the footer
# links here (the operator's repository of the version running).
SOURCE_CODE_URL = env_str("AGORA_SOURCE_URL", "")

TASKS = {
    "default": {
        "BACKEND": env_str("AGORA_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

# The port of the site's public address when it is not the scheme's default (the
# demo serves on 8000): Organization.base_url, the root of every link in e-mails.
PUBLIC_PORT = env_int("AGORA_PUBLIC_PORT", 0)

# Production hardening; `manage.py check --deploy` passes with AGORA_SECURE=1.
SECURE = env_bool("AGORA_SECURE", False)
if SECURE and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured("Set AGORA_SECRET_KEY to a long random value in production.")
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("AGORA_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("AGORA_HSTS_SECONDS", 31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("AGORA_BEHIND_PROXY", False) else None
# The visitor's address for the per-address rate limits (login, sign-up, receipt
# checks): behind proxies, REMOTE_ADDR is the proxy's, shared by every visitor, so the
# address is read from X-Forwarded-For, counting this many proxies from the right.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("AGORA_TRUSTED_PROXY_COUNT", 1 if env_bool("AGORA_BEHIND_PROXY", False) else 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp), on everywhere (demo, tests, production):
# scripts and styles only from this site's static files, or inline with this
# response's nonce (request.csp_nonce; the page cache gives each visitor a new
# one); no inline event handler or style attribute; images from this site, data:
# URIs (QR codes of two-factor set-up) and the map's tile server. See
# docs/security.md to add hosts.
MAP_TILES_SOURCE = csp_source(MAP_TILES_URL)
_IMAGE_HOSTS = [source for source in (MAP_TILES_SOURCE, csp_source(MEDIA_URL)) if source]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        # + uploads on a media domain (an absolute MEDIA_URL) and AGORA_CSP_IMG_SRC (e.g. an S3 host).
        "img-src": [SELF, "data:", *_IMAGE_HOSTS, *env_list("AGORA_CSP_IMG_SRC")],
        # An organization's own font (agora.core.fonts) is an upload: + the media domain, AGORA_CSP_FONT_SRC.
        "font-src": [SELF, *[source for source in (csp_source(MEDIA_URL),) if source], *env_list("AGORA_CSP_FONT_SRC")],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        # As X-Frame-Options: DENY. The embed of an idea widens it (AGORA_EMBED_FRAME_ANCESTORS).
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Sites allowed to frame the embeds of ideas (/…/<id>/embed/): every site by default.
EMBED_FRAME_ANCESTORS = env_list("AGORA_EMBED_FRAME_ANCESTORS", "*")
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every record carries the id of its request (agora.core.requests; "-" outside one).
    "filters": {"request_id": {"()": "agora.core.requests.RequestIdFilter"}},
    "formatters": {"agora": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "agora"}},
    "root": {"handlers": ["console"], "level": env_str("AGORA_LOG_LEVEL", "WARNING")},
}

# Upload limits (the components validate content types themselves).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
AGORA_MAX_IMAGE_BYTES = env_int("AGORA_MAX_IMAGE_BYTES", 5 * 1024 * 1024)
