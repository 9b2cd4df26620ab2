"""The news component in the public API (/api/v1/news/, agora.api): the rows of its
open-data tables, which read its public resources through its selectors."""

from ninja import Router

from agora.api import kit


def router() -> Router:
    api = Router()
    kit.rows_endpoint(api, "/posts", manifest_name="news", table="news", summary="News posts", date="published_at")
    return api
