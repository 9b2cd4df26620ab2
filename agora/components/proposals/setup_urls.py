"""Back-office setup screens of a proposals component owned by the proposals
app: categories and scopes offered, map layers (KML)."""


urlpatterns = []
