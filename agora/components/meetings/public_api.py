"""The meetings component in the public API (/api/v1/meetings/, agora.api): the rows of its
open-data tables, which read its public resources through its selectors."""

from ninja import Router

from agora.api import kit


def router() -> Router:
    api = Router()
    kit.rows_endpoint(
        api,
        "/meetings",
        manifest_name="meetings",
        table="meetings",
        summary="Meetings",
        date="starts_at",
        category="category",
        scope="scope",
    )
    return api
