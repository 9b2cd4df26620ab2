"""The public API, assembled from the core's router and every component's
(their manifests' `api` hooks): a component registered later appears in it
without any change here."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.module_loading import import_string
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from agora.api import core_api
from agora.api.errors import ApiError
from agora.components.registry import registry
from agora.permissions import PermissionDenied

DESCRIPTION = """Read-only public data of the organization (what any visitor sees on its pages),
and a few write endpoints for the staff's tokens. See /api/v1/docs and docs/api.md."""


def error(status: int, code: str, message: str, details=None) -> JsonResponse:
    return JsonResponse(ApiError(status, code, message, details).body(), status=status)


def _field(location) -> str:
    """The field's name as the client wrote it: ("body", "payload", "progress") -> "progress"."""
    parts = [str(part) for part in location[1:]]
    if parts and parts[0] in ("payload", "filters"):
        parts = parts[1:]
    return ".".join(parts)


def build_api(urls_namespace: str = "api_v1") -> NinjaAPI:
    api = NinjaAPI(
        title="Agora",
        version="1",
        description=DESCRIPTION,
        urls_namespace=urls_namespace,
        docs_url=None,  # our own page (agora.api.views.docs): the strict CSP, French and English
        openapi_url="/openapi.json",
    )
    api.add_router("/", core_api.router())
    for manifest in registry.all():
        if manifest.api:
            api.add_router(f"/{manifest.name}/", import_string(manifest.api)(), tags=[manifest.name])

    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError):
        return JsonResponse(exc.body(), status=exc.status)

    @api.exception_handler(NinjaValidationError)
    def _invalid(request: HttpRequest, exc: NinjaValidationError):
        details = [{"field": _field(item.get("loc", ())), "message": item.get("msg", "")} for item in exc.errors]
        return error(422, "invalid", "Some parameters are not valid.", details)

    @api.exception_handler(DjangoValidationError)
    def _refused(request: HttpRequest, exc: DjangoValidationError):
        details = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return error(400, "invalid", " ".join(exc.messages), details)

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied):
        return error(403, "forbidden", exc.decision.reason)

    @api.exception_handler(AuthenticationError)
    def _unauthorized(request: HttpRequest, exc: AuthenticationError):
        return error(401, "unauthorized", "This endpoint needs a staff token: Authorization: Bearer <token>.")

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404):
        return error(404, "not_found", "Nothing public here.")

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError):
        return error(exc.status_code, "error", str(exc))

    return api
