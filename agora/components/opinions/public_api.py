"""The opinions component in the public API (/api/v1/opinions/, agora.api): the rows of its
open-data tables, which read its public resources through its selectors."""

from ninja import Router

from agora.api import kit


def router() -> Router:
    api = Router()
    kit.rows_endpoint(
        api,
        "/statements",
        manifest_name="opinions",
        table="opinion_statements",
        summary="Statements of opinion maps, with their public groups",
    )
    return api
