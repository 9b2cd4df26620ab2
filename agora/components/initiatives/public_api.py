"""The initiatives component in the public API (/api/v1/initiatives/, agora.api): the rows of its
open-data tables, which read its public resources through its selectors."""

from ninja import Router

from agora.api import kit


def router() -> Router:
    api = Router()
    kit.rows_endpoint(
        api,
        "/initiatives",
        manifest_name="initiatives",
        table="initiatives",
        summary="Citizen initiatives",
        state="state",
        date="published_at",
        scope="scope",
    )
    kit.rows_endpoint(
        api, "/tiers", manifest_name="initiatives", table="initiative_tiers", summary="Thresholds of initiatives"
    )
    return api
