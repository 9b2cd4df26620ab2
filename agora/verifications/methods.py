"""The registry of verification methods (plug-ins), enabled per organization.

Each method is described here; its write paths live in services.py and its
participant pages in views.py (`start_url`)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Method:
    name: str
    label: object
    description: object
    # Verified attributes the method gives: "identity", "birth_date", "postal_code", "scope".
    gives: tuple[str, ...]
    # URL name of the participant's page (None: only staff record it).
    start_url: str | None


_methods: dict[str, Method] = {}


def register(method: Method) -> Method:
    if method.name in _methods:
        raise ValueError(f"Verification method {method.name!r} is registered twice")
    _methods[method.name] = method
    return method


def get(name: str) -> Method | None:
    return _methods.get(name)


def all_methods() -> list[Method]:
    return list(_methods.values())


def choices():
    return [(method.name, method.label) for method in _methods.values()]


register(
    Method(
        "census",
        _("Census"),
        _("Your name and date of birth are found in the list of residents provided by the organization."),
        ("identity", "birth_date", "postal_code", "scope"),
        "verifications:census",
    )
)
register(
    Method(
        "letter",
        _("Postal letter"),
        _("A code is mailed to your address; enter it here to prove you live there."),
        ("postal_code", "scope"),
        "verifications:letter",
    )
)
register(
    Method(
        "sms",
        _("SMS code"),
        _("A code is sent to your mobile phone."),
        ("identity",),
        "verifications:sms",
    )
)
register(
    Method(
        "document",
        _("Identity document"),
        _("Upload a scan of an identity document; an officer checks it and then deletes it."),
        ("identity", "birth_date", "postal_code", "scope"),
        "verifications:document",
    )
)
register(
    Method(
        "in_person",
        _("In person at a desk"),
        _("An officer checks your identity document at a public desk."),
        ("identity", "birth_date", "postal_code", "scope"),
        None,
    )
)
register(
    Method(
        "oidc",
        _("Online identity (OpenID Connect)"),
        _("Your identity provider (for example FranceConnect) confirms your identity and date of birth."),
        ("identity", "birth_date", "postal_code"),
        "verifications:oidc",
    )
)
