from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from agora.accounts.models import User


def terms(request):
    return render(request, "accounts/terms.html", {"terms": request.organization.current_terms()})


def profile(request, nickname):
    person = get_object_or_404(User, nickname__iexact=nickname, deleted_at__isnull=True, is_active=True)
    return render(request, "accounts/profile.html", {"person": person})


@login_required
def account_settings(request):
    return render(request, "accounts/settings.html")
