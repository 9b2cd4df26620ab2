from django.shortcuts import render

from agora.backoffice.access import backoffice_view


@backoffice_view("backoffice.access")
def dashboard(request):
    return render(request, "backoffice/dashboard.html")


def space_detail(request, space_id):
    # Placeholder until the spaces screens land.
    from django.http import Http404

    raise Http404
