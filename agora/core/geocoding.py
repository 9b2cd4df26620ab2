"""Addresses to map positions and back, through one small backend interface.

    candidates = geocode("12 rue des Lilas", organization)   # [Candidate], best first; [] if not found
    place = reverse(47.5018, 1.1012, organization)           # Candidate or None

settings.AGORA_GEOCODER names the backend:
- "local" (default): a gazetteer shipped with Agora (agora/core/gazetteer/*.json,
  the demo city's streets and places, or the file of AGORA_GEOCODER_GAZETTEER);
  no network, used by the tests and the demo;
- "ban": the Base Adresse Nationale (api-adresse.data.gouv.fr, France);
- "nominatim": OpenStreetMap's Nominatim (a self-hosted one with AGORA_GEOCODER_URL);
- "none": no geocoding (people place the pin themselves);
- or the dotted path of a class with the same two methods.

The network backends go through agora.core.outgoing.safe_get (public
addresses only, timeouts, size limit); their answers are kept in the cache
for a day (Nominatim's usage policy asks for it), and a failure is
GeocoderUnavailable, which pages turn into a message, never a 500.
AGORA_GEOCODER_NEAR ("47.50,1.10") puts results near the town first."""

import hashlib
import json
import logging
import math
import re
import unicodedata
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache as django_cache
from django.urls import reverse as reverse_url
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.core import outgoing

logger = logging.getLogger("agora.geocoding")

GAZETTEER_DIR = Path(__file__).resolve().parent / "gazetteer"
MAX_QUERY = 200
CACHE_SECONDS = 24 * 3600
SIX = Decimal("0.000001")


@dataclass(frozen=True)
class Candidate:
    """One answer: the address as the backend writes it, and its position."""

    label: str
    latitude: Decimal
    longitude: Decimal
    # "housenumber" (a number in a street), "street", "place" (a named place), "municipality"
    kind: str = "street"
    score: float = 1.0

    def as_json(self) -> dict:
        data = asdict(self)
        data["latitude"], data["longitude"] = str(self.latitude), str(self.longitude)
        return data


def _coordinate(value) -> Decimal:
    return Decimal(str(value)).quantize(SIX, rounding=ROUND_HALF_UP)


class GeocoderUnavailable(Exception):
    """The geocoder could not answer (network, error status, malformed answer)."""


def normalise(text: str) -> str:
    """Lower case, no accents, no punctuation, one space between words."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


# --- the backends ---------------------------------------------------------------------------


class Backend:
    name = ""

    def geocode(self, query: str, organization=None, *, limit: int = 5) -> list[Candidate]:
        raise NotImplementedError

    def reverse(self, latitude, longitude, organization=None) -> Candidate | None:
        raise NotImplementedError


class NoGeocoder(Backend):
    name = "none"

    def geocode(self, query, organization=None, *, limit=5):
        return []

    def reverse(self, latitude, longitude, organization=None):
        return None


ABBREVIATIONS = {
    "av": "avenue",
    "ave": "avenue",
    "bd": "boulevard",
    "bld": "boulevard",
    "pl": "place",
    "ch": "chemin",
    "r": "rue",
    "imp": "impasse",
    "all": "allee",
    "prom": "promenade",
    "sq": "square",
    "st": "saint",
    "ste": "sainte",
    "rte": "route",
    "fg": "faubourg",
}
# Words that say nothing about which street is meant.
FILLER = {"de", "des", "du", "la", "le", "les", "l", "d", "a", "au", "aux", "et", "en", "pres", "devant"}
NUMBER = re.compile(r"^(\d{1,4})\s*(bis|ter|quater|[a-d])?\b\s*,?\s*(.*)$")


@dataclass(frozen=True)
class _Entry:
    kind: str  # "street" or "place"
    name: str
    words: tuple  # a set of words for the name and for each alias
    points: tuple  # ((lat, lng), ...): a street's line from its first to its last number, or one point
    numbers: tuple  # (first, last) house numbers along the line; () for a place
    city: str
    postcode: str
    aliases: tuple = ()


def _load_gazetteer(path: Path) -> list[_Entry]:
    data = json.loads(path.read_text(encoding="utf-8"))
    entries = []
    for town in data.get("towns", []):
        city, postcode = town["name"], town.get("postcode", "")
        for street in town.get("streets", []):
            entries.append(
                _Entry(
                    "street",
                    street["name"],
                    (frozenset(_words(street["name"])),),
                    tuple(tuple(p) for p in street["line"]),
                    tuple(street.get("numbers", (1, 99))),
                    city,
                    postcode,
                )
            )
        for place in town.get("places", []):
            names = [place["name"], *place.get("aliases", [])]
            entries.append(
                _Entry(
                    "place",
                    place["name"],
                    tuple(frozenset(_words(name)) for name in names),
                    (tuple(place["point"]),),
                    (),
                    city,
                    postcode,
                    tuple(place.get("aliases", [])),
                )
            )
    return entries


def _words(text: str) -> list[str]:
    words = [ABBREVIATIONS.get(word, word) for word in normalise(text).split()]
    return [word for word in words if word not in FILLER]


@cache
def _gazetteer(path: str) -> tuple[_Entry, ...]:
    files = [Path(path)] if path else sorted(GAZETTEER_DIR.glob("*.json"))
    entries = []
    for file in files:
        entries.extend(_load_gazetteer(file))
    return tuple(entries)


def _along(points, fraction: float) -> tuple[float, float]:
    """The point at `fraction` (0 to 1) of the length of a line."""
    if len(points) == 1:
        return points[0]
    lengths = [math.dist(a, b) for a, b in zip(points, points[1:])]
    target = sum(lengths) * min(max(fraction, 0.0), 1.0)
    for (a, b), length in zip(zip(points, points[1:]), lengths):
        if target <= length or length == 0:
            ratio = target / length if length else 0
            return a[0] + (b[0] - a[0]) * ratio, a[1] + (b[1] - a[1]) * ratio
        target -= length
    return points[-1]


def _metres(a, b) -> float:
    """Distance in metres between two (lat, lng) points (equirectangular: enough for a town)."""
    x = math.radians(b[1] - a[1]) * math.cos(math.radians((a[0] + b[0]) / 2))
    y = math.radians(b[0] - a[0])
    return 6_371_000 * math.hypot(x, y)


class LocalBackend(Backend):
    """The gazetteer's streets and places: a query matches an entry when every
    meaningful word of it is in the entry's name (abbreviations such as "av"
    or "bd" understood, accents and case ignored; the town's name and postcode
    may be given too). "12 rue des Lilas" is placed at the 12th number along
    the street's line."""

    name = "local"

    def __init__(self, path: str | None = None):
        self.path = path if path is not None else getattr(settings, "AGORA_GEOCODER_GAZETTEER", "")

    def entries(self, organization=None) -> tuple[_Entry, ...]:
        entries = _gazetteer(self.path)
        if organization is not None:
            town = normalise(organization.name)
            own = tuple(entry for entry in entries if normalise(entry.city) == town)
            if own:
                return own
        return entries

    def geocode(self, query, organization=None, *, limit=5):
        query = (query or "").strip()[:MAX_QUERY]
        match = NUMBER.match(normalise(query))
        number = int(match.group(1)) if match else None
        rest = match.group(3) if match else normalise(query)
        entries = self.entries(organization)
        # The town's name and postcode may follow the street ("rue des Lilas, 45000 Belleville-sur-Loire").
        for town in {normalise(entry.city) for entry in entries} | {entry.postcode for entry in entries}:
            if town:
                rest = re.sub(rf"(^| ){re.escape(town)}( |$)", " ", rest)
        wanted = _words(rest)
        if not wanted:
            return []
        found = []
        for entry in entries:
            # The share of the name the query covers: "mairie" is the town hall (alias "Mairie")
            # before the "Place de la Mairie".
            scores = [len(set(wanted)) / max(len(words), 1) for words in entry.words if set(wanted) <= words]
            if not scores:
                continue
            score = max(scores)
            if entry.kind == "street" and number is not None:
                first, last = entry.numbers
                if first <= number <= last:
                    fraction = (number - first) / max(last - first, 1)
                    lat, lng = _along(entry.points, fraction)
                    label = f"{number} {entry.name}, {entry.postcode} {entry.city}".replace("  ", " ")
                    found.append(Candidate(label, _coordinate(lat), _coordinate(lng), "housenumber", score))
                    continue
            lat, lng = _along(entry.points, 0.5)
            label = f"{entry.name}, {entry.postcode} {entry.city}".replace("  ", " ")
            found.append(Candidate(label, _coordinate(lat), _coordinate(lng), entry.kind, score))
        found.sort(key=lambda candidate: (-candidate.score, candidate.label))
        return found[:limit]

    def reverse(self, latitude, longitude, organization=None):
        point = (float(latitude), float(longitude))
        best, best_distance = None, 250.0  # metres: farther than this, no street is named
        for entry in self.entries(organization):
            steps = 20 if len(entry.points) > 1 else 1
            for step in range(steps + 1):
                spot = _along(entry.points, step / steps)
                distance = _metres(point, spot)
                if distance < best_distance:
                    best, best_distance = entry, distance
        if best is None:
            return None
        return Candidate(
            f"{best.name}, {best.postcode} {best.city}".replace("  ", " "),
            _coordinate(latitude),
            _coordinate(longitude),
            best.kind,
        )


def _near() -> tuple[float, float] | None:
    raw = getattr(settings, "AGORA_GEOCODER_NEAR", "") or ""
    try:
        lat, lng = (float(part) for part in raw.split(","))
    except ValueError:
        return None
    return lat, lng


class _HttpBackend(Backend):
    default_url = ""

    def __init__(self, url: str | None = None):
        self.url = (url or getattr(settings, "AGORA_GEOCODER_URL", "") or self.default_url).rstrip("/")

    def _get(self, path: str, params: dict) -> object:
        request = json.dumps([self.url, path, params], sort_keys=True, default=str)
        key = "geocoder:" + hashlib.sha256(request.encode()).hexdigest()
        found = django_cache.get(key)
        if found is not None:
            return found
        try:
            # The address is the operator's setting (a self-hosted geocoder may be on the intranet).
            # Looked up on the module at each call (tests replace it).
            response = outgoing.safe_get(
                f"{self.url}{path}",
                params=params,
                operator_configured=True,
                headers={"User-Agent": settings.AGORA_GEOCODER_USER_AGENT, "Accept": "application/json"},
                timeout=(3, 5),
                max_bytes=512 * 1024,
            )
            data = response.json()
        except (outgoing.OutgoingRequestError, ValueError) as error:
            logger.warning("The geocoder %s did not answer: %s", self.name, error)
            raise GeocoderUnavailable(str(error)) from error
        django_cache.set(key, data, CACHE_SECONDS)
        return data


class BanBackend(_HttpBackend):
    """The Base Adresse Nationale (https://adresse.data.gouv.fr/outils/api-doc/adresse)."""

    name = "ban"
    default_url = "https://api-adresse.data.gouv.fr"

    def _candidates(self, data) -> list[Candidate]:
        found = []
        for feature in (data or {}).get("features", []) if isinstance(data, dict) else []:
            try:
                lng, lat = feature["geometry"]["coordinates"][:2]
                properties = feature.get("properties", {})
                found.append(
                    Candidate(
                        str(properties.get("label", ""))[:300],
                        _coordinate(lat),
                        _coordinate(lng),
                        str(properties.get("type", "street")),
                        float(properties.get("score", 1.0)),
                    )
                )
            except (KeyError, TypeError, ValueError, ArithmeticError):
                continue
        return found

    def geocode(self, query, organization=None, *, limit=5):
        query = (query or "").strip()[:MAX_QUERY]
        if len(query) < 3:  # the API refuses shorter queries
            return []
        params = {"q": query, "limit": limit, "autocomplete": 0}
        near = _near()
        if near:
            params["lat"], params["lon"] = near
        return self._candidates(self._get("/search/", params))

    def reverse(self, latitude, longitude, organization=None):
        found = self._candidates(self._get("/reverse/", {"lat": str(latitude), "lon": str(longitude), "limit": 1}))
        return found[0] if found else None


class NominatimBackend(_HttpBackend):
    """OpenStreetMap's Nominatim (https://nominatim.org/release-docs/latest/api/Search/): the
    public server allows one request a second and asks for a User-Agent naming the application."""

    name = "nominatim"
    default_url = "https://nominatim.openstreetmap.org"

    def _candidate(self, row) -> Candidate | None:
        try:
            return Candidate(
                str(row.get("display_name", ""))[:300],
                _coordinate(row["lat"]),
                _coordinate(row["lon"]),
                "housenumber"
                if (row.get("address") or {}).get("house_number")
                else str(row.get("addresstype") or row.get("type") or "place"),
                float(row.get("importance") or 1.0),
            )
        except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError):
            return None

    def geocode(self, query, organization=None, *, limit=5):
        query = (query or "").strip()[:MAX_QUERY]
        if not query:
            return []
        params = {"q": query, "format": "jsonv2", "limit": limit, "addressdetails": 1}
        countries = getattr(settings, "AGORA_GEOCODER_COUNTRIES", "")
        if countries:
            params["countrycodes"] = countries
        near = _near()
        if near:  # about 10 km around the town, preferred but not exclusive
            west, north, east, south = near[1] - 0.15, near[0] + 0.1, near[1] + 0.15, near[0] - 0.1
            params["viewbox"] = ",".join(f"{round(value, 5):g}" for value in (west, north, east, south))
        if organization is not None and getattr(organization, "default_language", ""):
            params["accept-language"] = organization.default_language
        data = self._get("/search", params)
        rows = data if isinstance(data, list) else []
        return [found for found in (self._candidate(row) for row in rows) if found is not None]

    def reverse(self, latitude, longitude, organization=None):
        data = self._get("/reverse", {"lat": str(latitude), "lon": str(longitude), "format": "jsonv2"})
        return self._candidate(data) if isinstance(data, dict) and "lat" in data else None


BACKENDS = {"local": LocalBackend, "ban": BanBackend, "nominatim": NominatimBackend, "none": NoGeocoder}


def backend() -> Backend:
    name = getattr(settings, "AGORA_GEOCODER", "local") or "none"
    return BACKENDS[name]() if name in BACKENDS else import_string(name)()


def geocode(address: str, organization=None, *, limit: int = 5) -> list[Candidate]:
    """Places matching `address`, best first ([] when nothing matches).
    GeocoderUnavailable if the geocoder cannot be reached."""
    return backend().geocode(address, organization, limit=limit)


def reverse(latitude, longitude, organization=None) -> Candidate | None:
    return backend().reverse(latitude, longitude, organization)


def locate(address: str, organization=None) -> tuple[Candidate | None, str]:
    """For a form: the best place for an address, or None and the message to show."""
    try:
        found = geocode(address, organization, limit=1)
    except GeocoderUnavailable:
        return None, _(
            "The address could not be looked up on the map right now; place the pin yourself or try again later."
        )
    if not found:
        return None, _("“%(address)s” was not found on the map. Check the spelling, or place the pin yourself.") % {
            "address": address
        }
    return found[0], ""


def address_widget_attrs(latitude_id: str = "id_latitude", longitude_id: str = "id_longitude") -> dict:
    """Attributes of an address input for geocode.js (its "Find on the map"
    button and messages), given the ids of the latitude and longitude inputs."""
    return {
        "data-geocode-url": reverse_url("geocode"),
        "data-lat-input": latitude_id,
        "data-lng-input": longitude_id,
        "data-geocode-button": gettext_lazy("Find on the map"),
        "data-geocode-found": gettext_lazy("Found: {label}. The latitude and longitude are filled in."),
        "data-geocode-choose": gettext_lazy("Several places match: choose one."),
        "data-geocode-missing": gettext_lazy(
            "This address was not found on the map. Check the spelling, or place the pin yourself."
        ),
        "data-geocode-empty": gettext_lazy("Type an address first."),
        "data-geocode-searching": gettext_lazy("Looking up the address…"),
    }
