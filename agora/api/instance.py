"""The one NinjaAPI of the site, built when the URLs are first loaded (every
component's manifest is registered by then)."""

from agora.api.build import build_api

api = build_api()
