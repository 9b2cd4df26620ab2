"""The surveys component in the public API (/api/v1/surveys/, agora.api): the rows of its
open-data tables, which read its public resources through its selectors."""

from ninja import Router

from agora.api import kit


def router() -> Router:
    api = Router()
    kit.rows_endpoint(
        api, "/results", manifest_name="surveys", table="survey_results", summary="Published results of surveys"
    )
    return api
