"""The pages component in the public API (/api/v1/pages/, agora.api): the rows of its
open-data tables, which read its public resources through its selectors."""

from ninja import Router

from agora.api import kit


def router() -> Router:
    api = Router()
    kit.rows_endpoint(api, "/pages", manifest_name="pages", table="pages", summary="Pages", date="updated_at")
    return api
