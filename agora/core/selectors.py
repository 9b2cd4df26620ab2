import copy
import threading
import time

from django.db.models import JSONField, OuterRef, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.db.models.signals import post_delete, post_save

from agora.core.models import HomeBlock, Organization

# Every request looks its organization up by host name; organizations change
# rarely. Each process keeps what it found for the settings version it read
# before the lookup (agora.core.pagecache: any committed change to an
# organization moves that version and the content version), and at most
# ORGANIZATION_CACHE_SECONDS (a change made outside Agora, by hand in the
# database). So a page rendered and cached for a version never shows an
# organization older than that version, on any server. Every request gets
# its own copy.
ORGANIZATION_CACHE_SECONDS = 30
_by_host: dict[str, tuple[float, int | None, Organization | None]] = {}
_lock = threading.Lock()


def _with_sharing_hero(organizations: QuerySet[Organization]) -> QuerySet[Organization]:
    """`sharing_hero` on each organization: what shared pages show by default
    (agora.web.sharing.hero_picture), the first shown hero block with a
    picture (its id, image, copies and settings) or None, read with it."""
    hero = (
        HomeBlock.objects.filter(organization=OuterRef("pk"), kind="hero", is_enabled=True)
        .exclude(image="")
        .order_by("position", "id")
        .values(found=JSONObject(id="id", image="image", image_variants="image_variants", settings="settings"))[:1]
    )
    return organizations.annotate(sharing_hero=Subquery(hero, output_field=JSONField()))


def _lookup(hostname: str) -> Organization | None:
    organization = _with_sharing_hero(Organization.objects.filter(host=hostname)).first()
    if organization is None:
        # Aliases are rare and organizations few: a scan beats a JSON lookup
        # that SQLite cannot index.
        for candidate in _with_sharing_hero(Organization.objects.exclude(secondary_hosts=[])):
            if hostname in candidate.secondary_hosts:
                return candidate
    return organization


def organization_for_host(host: str, version: int | None = None) -> Organization | None:
    """The organization served at `host`, as it is at settings `version`
    (read by the caller before this call) or later."""
    hostname = host.lower() if host.startswith("[") else host.rsplit(":", 1)[0].lower()
    now = time.monotonic()
    found = _by_host.get(hostname)
    if found is None or found[0] < now or version is None or found[1] != version:
        organization = _lookup(hostname)
        with _lock:
            _by_host[hostname] = (now + ORGANIZATION_CACHE_SECONDS, version, organization)
    else:
        organization = found[2]
    return copy.copy(organization) if organization is not None else None


def _forget(**kwargs: object) -> None:
    with _lock:
        _by_host.clear()


post_save.connect(_forget, sender=Organization, dispatch_uid="agora-organization-cache")
post_delete.connect(_forget, sender=Organization, dispatch_uid="agora-organization-cache-delete")
