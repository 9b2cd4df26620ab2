"""Back-office of a proposals component owned by the evaluation app: the ideas'
list, answers, states, custom fields, evaluation grids and evaluators' work.
Included by agora/components/proposals/admin_urls.py under the namespace
"proposals_admin" (no app_name here: names live directly in that namespace)."""

urlpatterns = []
