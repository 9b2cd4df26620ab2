from agora.core.models import Organization


def organization_for_host(host: str) -> Organization | None:
    hostname = host.lower() if host.startswith("[") else host.rsplit(":", 1)[0].lower()
    organization = Organization.objects.filter(host=hostname).first()
    if organization is None:
        # Aliases are rare and organizations few: a scan beats a JSON lookup
        # that SQLite cannot index.
        for candidate in Organization.objects.exclude(secondary_hosts=[]):
            if hostname in candidate.secondary_hosts:
                return candidate
    return organization
