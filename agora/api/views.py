"""The API's documentation page (rendered on the server from the OpenAPI
description: no script, no CDN, the strict CSP holds) and its JSON 404."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from agora.api.errors import ApiError
from agora.api.instance import api

METHODS = ("get", "post", "put", "patch", "delete")


def _endpoints(schema: dict) -> list[dict]:
    """The operations of the description, grouped by tag, in its order."""
    groups: dict[str, list[dict]] = {}
    for route, operations in schema.get("paths", {}).items():
        for method in METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            parameters = [
                {
                    "name": parameter["name"],
                    "where": parameter.get("in", ""),
                    "required": parameter.get("required", False),
                    "description": parameter.get("description") or parameter.get("schema", {}).get("description", ""),
                }
                for parameter in operation.get("parameters", ())
            ]
            tag = (operation.get("tags") or ["api"])[0]
            groups.setdefault(tag, []).append(
                {
                    "method": method.upper(),
                    "path": route,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                    "token": bool(operation.get("security")),
                }
            )
    return [{"tag": tag, "endpoints": endpoints} for tag, endpoints in groups.items()]


def docs(request: HttpRequest) -> HttpResponse:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return render(request, "api/docs.html", {"groups": _endpoints(schema), "version": schema["info"]["version"]})


def not_found(request: HttpRequest) -> JsonResponse:
    return JsonResponse(ApiError(404, "not_found", "No such endpoint: see /api/v1/docs.").body(), status=404)
