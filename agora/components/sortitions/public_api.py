"""The sortitions component in the public API (/api/v1/sortitions/, agora.api): the rows of its
open-data tables, which read its public resources through its selectors."""

from ninja import Router

from agora.api import kit


def router() -> Router:
    api = Router()
    kit.rows_endpoint(
        api,
        "/draws",
        manifest_name="sortitions",
        table="sortition_draws",
        summary="Draws and their public bundles",
        date="drawn_at",
    )
    return api
