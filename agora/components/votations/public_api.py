"""The citizen votes in the public API (/api/v1/votations/, agora.api): the rows of
their open-data tables (the votes, and the results once they are shown), which
read the public votes through this component's selectors."""

from ninja import Router

from agora.api import kit


def router() -> Router:
    api = Router()
    kit.rows_endpoint(
        api,
        "/votations",
        manifest_name="votations",
        table="votations",
        summary="Citizen votes",
        state="state",
        date="opens_at",
    )
    kit.rows_endpoint(
        api, "/results", manifest_name="votations", table="votation_results", summary="Results of citizen votes"
    )
    return api
