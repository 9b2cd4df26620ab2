"""The debates component in the public API (/api/v1/debates/, agora.api): the rows of its
open-data tables, which read its public resources through its selectors."""

from ninja import Router

from agora.api import kit


def router() -> Router:
    api = Router()
    kit.rows_endpoint(
        api,
        "/debates",
        manifest_name="debates",
        table="debates",
        summary="Debates",
        state="state",
        date="starts_at",
        category="category",
        scope="scope",
    )
    return api
