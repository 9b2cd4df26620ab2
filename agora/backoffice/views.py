from django.shortcuts import render

from agora.backoffice.access import backoffice_view


@backoffice_view("backoffice.access")
def dashboard(request):
    return render(request, "backoffice/dashboard.html")
