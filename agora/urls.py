from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path, re_path

from agora.components.urls import admin_patterns as component_admin_patterns
from agora.components.urls import public_patterns as component_public_patterns
from agora.components.urls import site_patterns as component_site_patterns
from agora.core import views as core_views
from agora.verifications import views as verification_views
from agora.web import sharing_views

admin.site.site_header = "Agora — system"
admin.site.site_url = "/"
# Platform admins log in through allauth (rate limits, two-factor authentication),
# never through the Django admin's own password-only form.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

# Branded, without the database; 503 when the database cannot be reached.
handler500 = "agora.core.views.server_error"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accessibility/", core_views.accessibility, name="accessibility"),
    path("search/", core_views.search, name="search"),
    path("theme/", core_views.set_theme, name="set_theme"),
    path("theme.css", core_views.theme_css, name="theme_css"),
    path("geocode/", core_views.geocode, name="geocode"),
    path("share/mastodon/", sharing_views.share_mastodon, name="share_mastodon"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The public API (agora.api): /api/v1/, its OpenAPI description and documentation page.
    path("api/", include("agora.api.urls")),
    # allauth's OpenID Connect login, wrapped: a provider that cannot be reached is a message, not a 500.
    path("accounts/oidc/<str:provider_id>/login/", verification_views.oidc_login),
    path("accounts/", include("allauth.urls")),
    path("", include("agora.accounts.urls")),
    path("", include("agora.spaces.urls")),
    path("", include(component_public_patterns())),
    path("", include(component_site_patterns())),
    path("comments/", include("agora.comments.urls")),
    path("follows/", include("agora.follows.urls")),
    path("notifications/", include("agora.notifications.urls")),
    path("conversations/", include("agora.conversations.urls")),
    path("moderation/", include("agora.moderation.urls")),
    path("verifications/", include("agora.verifications.urls")),
    path("newsletters/", include("agora.newsletters.urls")),
    path("open-data/", include("agora.opendata.urls")),
    path("account/my-data/", include("agora.privacy.urls")),
    path("admin/", include("agora.backoffice.urls")),
    path("admin/moderation/", include("agora.moderation.admin_urls")),
    path("admin/verifications/", include("agora.verifications.admin_urls")),
    path("admin/desk/", include("agora.desk.admin_urls")),
    path("admin/outbox/", include("agora.outbox.admin_urls")),
    path("admin/statistics/", include("agora.statistics.admin_urls")),
    path("admin/newsletters/", include("agora.newsletters.admin_urls")),
    path("admin/api-tokens/", include("agora.api.admin_urls")),
    path("admin/open-data/", include("agora.opendata.admin_urls")),
    path("admin/privacy/", include("agora.privacy.admin_urls")),
    path("admin/", include(component_admin_patterns())),
    # Platform admins: the organizations (Agora's screens), then the Django admin.
    path("system/", include("agora.backoffice.system_urls")),
    path("system/", admin.site.urls),
]

# The demo serves uploads itself (settings.AGORA_SERVE_MEDIA); production
# uses S3 or the web server, configured the same way (docs/deployment.md).
urlpatterns += [re_path(r"^media/(?P<path>.+)$", core_views.media, name="media")]
