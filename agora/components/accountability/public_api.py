"""The follow-up in the public API (/api/v1/accountability/, agora.api): results
(the rows of its open-data table) and milestones, read as the pages show them;
and the updates cities send from their project-tracking tools with a staff token
(scope "accountability.write"): a result's progress and status, its milestones."""

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from ninja import Field, Query, Router, Schema
from ninja import Status as Answer

from agora.api import kit
from agora.api.kit import ERRORS, WRITE_ERRORS, Filters, Page
from agora.components.accountability import selectors, services
from agora.components.accountability.models import Milestone, Result, Status

WRITE_SCOPE = "accountability.write"


class MilestoneOut(Schema):
    id: int
    result: int
    date: datetime.date
    title: dict[str, str]
    description: dict[str, str]
    url: str


class ResultUpdate(Schema):
    progress: Decimal | None = Field(None, ge=0, le=100, description="Progress in %, for a result without sub-results")
    status: str | None = Field(None, description="The code of one of the component's statuses")


class ResultOut(Schema):
    id: int
    progress: Decimal
    status: str | None


class MilestoneIn(Schema):
    date: datetime.date
    title: dict[str, str] = Field(description='Per language: {"fr": ..., "en": ...}')
    description: dict[str, str] = Field(default_factory=dict, description="Per language, HTML (sanitized)")


def _milestone(milestone: Milestone) -> dict[str, Any]:
    return {
        "id": milestone.pk,
        "result": milestone.result_id,
        "date": milestone.date,
        "title": kit.translated(milestone.title),
        "description": kit.translated(milestone.description),
        "url": milestone.result.get_absolute_url(),
    }


def _result(request: Any, result_id: int) -> Result:
    result = selectors.result_to_manage(request.organization, result_id)
    if result is None:
        raise kit.ApiError(404, "not_found", "No follow-up result has this id.")
    return result


def router() -> Router:
    api = Router()
    kit.rows_endpoint(
        api,
        "/results",
        manifest_name="accountability",
        table="results",
        summary="Follow-up results",
        state="status",
        date="start_date",
        category="category",
        scope="scope",
    )

    @api.get("/milestones", response={200: Page[MilestoneOut], **ERRORS}, summary="Milestones of the results")
    def milestones(request, filters: Query[Filters]):
        """Dates: the milestone's date; category and scope: its result's."""
        components = {c.pk: c for c in kit.public_components(request, "accountability", filters)}
        queryset = kit.filter_common(
            request,
            selectors.public_milestones_of(list(components)),
            filters,
            category="result__category",
            scope="result__scope",
            date="date",
        )

        def serialize(rows: Sequence[Milestone]) -> list[dict]:
            for row in rows:
                row.result.component = components[row.result.component_id]
            return [_milestone(row) for row in rows]

        return kit.page(queryset, filters, serialize)

    @api.patch(
        "/results/{int:result_id}",
        auth=kit.TokenAuth(WRITE_SCOPE),
        response={200: ResultOut, **WRITE_ERRORS},
        summary="Update a result's progress or status (staff token, scope accountability.write)",
    )
    def update_result(request, result_id: int, payload: ResultUpdate):
        actor = kit.actor_of(request)
        result = _result(request, result_id)
        if payload.progress is None and payload.status is None:
            raise kit.ApiError(400, "invalid", "Give a progress, a status, or both.")
        with transaction.atomic():
            if payload.status is not None:
                status = Status.objects.filter(component=result.component, token=payload.status).first()
                if status is None:
                    raise kit.ApiError(400, "invalid", f"No status has the code {payload.status!r}.", {"status": []})
                services.bulk_change_status(actor=actor, component=result.component, results=[result], status=status)
            if payload.progress is not None:
                services.set_progress(actor=actor, result=result, progress=payload.progress)
        result.refresh_from_db()
        return {"id": result.pk, "progress": result.progress, "status": result.status.token if result.status else None}

    @api.post(
        "/results/{int:result_id}/milestones",
        auth=kit.TokenAuth(WRITE_SCOPE),
        response={201: MilestoneOut, **WRITE_ERRORS},
        summary="Add a milestone to a result (staff token, scope accountability.write)",
    )
    def add_milestone(request, result_id: int, payload: MilestoneIn):
        result = _result(request, result_id)
        with transaction.atomic():
            milestone = services.create_milestone(
                actor=kit.actor_of(request),
                result=result,
                date=payload.date,
                title=payload.title,
                description=payload.description,
            )
        return Answer(201, _milestone(milestone))

    @api.put(
        "/milestones/{int:milestone_id}",
        auth=kit.TokenAuth(WRITE_SCOPE),
        response={200: MilestoneOut, **WRITE_ERRORS},
        summary="Change a milestone (staff token, scope accountability.write)",
    )
    def change_milestone(request, milestone_id: int, payload: MilestoneIn):
        milestone = selectors.milestone_to_manage(request.organization, milestone_id)
        if milestone is None:
            raise kit.ApiError(404, "not_found", "No milestone has this id.")
        milestone = services.update_milestone(
            actor=kit.actor_of(request),
            milestone=milestone,
            date=payload.date,
            title=payload.title,
            description=payload.description,
        )
        return _milestone(milestone)

    return api
