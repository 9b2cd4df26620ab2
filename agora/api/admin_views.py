"""Back-office: one's own API tokens (create, shown once; list; revoke)."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from agora.api import selectors, services
from agora.api.forms import TokenForm
from agora.web.access import backoffice_view
from agora.web.views import call_service, done


@backoffice_view("api.tokens")
def tokens(request):
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        result, response = call_service(
            request,
            services.create_token,
            form=form,
            organization=request.organization,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
        )
        if response is not None:
            return response
        if result is not None:
            created = result[1]
            form = TokenForm()
    status = 400 if request.method == "POST" and created is None else 200
    return render(
        request,
        "api/admin/tokens.html",
        {
            "bo_section": "api_tokens",
            "form": form,
            "created": created,
            "tokens": selectors.tokens_of(request.user, request.organization),
            "scope_labels": dict(selectors.scopes()),
        },
        status=status,
    )


@backoffice_view("api.tokens", post_only=True)
def revoke(request, token_id):
    token = selectors.tokens_of(request.user, request.organization).filter(pk=token_id).first()
    if token is None:
        raise Http404
    _result, response = call_service(request, services.revoke_token, token=token)
    if response is not None:
        return response
    return done(request, _("The token “%(name)s” no longer works.") % {"name": token.name}, "api_admin:tokens")
