"""The budgets component in the public API (/api/v1/budgets/, agora.api): the rows of its
open-data tables, which read its public resources through its selectors."""

from ninja import Router

from agora.api import kit


def router() -> Router:
    api = Router()
    kit.rows_endpoint(
        api,
        "/budgets",
        manifest_name="budgets",
        table="budgets",
        summary="Budgets, with their published results",
        date="results_published_at",
        scope="scope",
        model="budgets.Budget",
    )
    kit.rows_endpoint(
        api,
        "/projects",
        manifest_name="budgets",
        table="projects",
        summary="Projects of budgets",
        category="category",
        scope="scope",
    )
    return api
