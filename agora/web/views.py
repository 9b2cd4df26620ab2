from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect

from agora import permissions
from agora.web.access import refuse


def call_service(request, service, *, form=None, **kwargs):
    """Run a service. Returns (result, None) on success (True for services
    that return nothing), or (None, response-or-None): a validation error goes
    on the form (or in a message when there is no form); a refusal becomes
    the 403 page."""
    try:
        result = service(actor=request.user, **kwargs)
        return (True if result is None else result), None
    except permissions.PermissionDenied as refusal:
        return None, refuse(request, refusal.decision)
    except ValidationError as error:
        if form is not None:
            add_error(form, error)
        else:
            for text in error.messages:
                messages.error(request, text)
        return None, None


def add_error(form, error: ValidationError, field: str | None = None) -> None:
    """Put what a service refused on the form: each field it names when the
    form has it, the rest on `field` (None: above the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else field, errors)
    else:
        form.add_error(field, error)


def manage_refusal(request, space):
    """On a read-only screen, writing needs space.manage: the refusal page or None."""
    decision = permissions.can(request.user, "space.manage", space)
    return None if decision else refuse(request, decision)


def done(request, text, to, *args, **kwargs):
    messages.success(request, text)
    return redirect(to, *args, **kwargs)


def paginate(request, queryset, per_page=25):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
