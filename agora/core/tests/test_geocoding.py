"""Addresses to positions (agora.core.geocoding): the local gazetteer of the
demo town, and the requests the BAN and Nominatim backends would make (never
made here: safe_get is replaced)."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse as url_for
from django.utils import translation

from agora.core import geocoding
from agora.core.outgoing import OutgoingRequestError
from agora.testing import factories


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def town(db):
    return factories.OrganizationFactory(host="belleville.example", name="Belleville-sur-Loire")


def test_a_house_number_is_placed_along_its_street(town):
    [first] = geocoding.geocode("12 rue des Lilas", town, limit=1)
    assert first.label == "12 Rue des Lilas, 45000 Belleville-sur-Loire"
    assert first.kind == "housenumber"
    assert Decimal("47.5070") <= first.latitude <= Decimal("47.5082")
    assert Decimal("1.0990") <= first.longitude <= Decimal("1.1010")
    [far] = geocoding.geocode("48 rue des Lilas", town, limit=1)
    assert far.latitude > first.latitude  # further along the street's line


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("av de la gare", "Avenue de la Gare"),
        ("AVENUE DE LA GARE, 45000 Belleville-sur-Loire", "Avenue de la Gare"),
        ("ecole jean zay", "École Jean-Zay"),
        ("mairie", "Hôtel de ville"),
        ("Promenade des bords de Loire", "Promenade des bords de Loire"),
        ("5 bis rue de l'eglise", "5 Rue de l'Église"),
    ],
)
def test_accents_case_abbreviations_aliases_and_the_town_are_understood(town, typed, expected):
    found = geocoding.geocode(typed, town)
    assert found and found[0].label.startswith(expected), found


def test_nothing_found_is_an_empty_list_and_a_message_for_the_form(town):
    assert geocoding.geocode("10 Downing Street", town) == []
    assert geocoding.geocode("   ", town) == []
    assert geocoding.geocode("200 rue des Lilas", town)[0].kind == "street"  # no such number: the street
    with translation.override("en"):
        place, message = geocoding.locate("Rue de Nulle-Part", town)
    assert place is None and "Rue de Nulle-Part" in message and "not found" in message
    with translation.override("fr"):
        assert "n'a pas été trouvée sur la carte" in geocoding.locate("Rue de Nulle-Part", town)[1]


def test_reverse_names_the_nearest_street_or_place(town):
    near = geocoding.reverse(Decimal("47.501820"), Decimal("1.101240"), town)
    assert near is not None and ("Médiathèque" in near.label)
    assert geocoding.reverse(Decimal("48.8566"), Decimal("2.3522"), town) is None  # Paris: not in the gazetteer


def test_the_setting_chooses_the_backend(settings, town):
    settings.AGORA_GEOCODER = "none"
    assert geocoding.geocode("12 rue des Lilas", town) == []
    settings.AGORA_GEOCODER = "agora.core.geocoding.LocalBackend"
    assert geocoding.geocode("12 rue des Lilas", town)


class _Answer:
    def __init__(self, data):
        self.data = data

    def json(self):
        return self.data


@pytest.fixture
def calls(monkeypatch):
    made = []

    def answer(data):
        def fake_safe_get(url, **kwargs):
            made.append((url, kwargs))
            if isinstance(data, Exception):
                raise data
            return _Answer(data)

        monkeypatch.setattr("agora.core.outgoing.safe_get", fake_safe_get)
        return made

    return answer


BAN_ANSWER = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [1.909251, 47.902964]},
            "properties": {"label": "8 Boulevard du Port 45000 Orléans", "score": 0.92, "type": "housenumber"},
        },
        {"type": "Feature", "geometry": {"type": "Point"}, "properties": {}},
    ],
}  # a broken feature is skipped


def test_the_ban_backend_asks_the_national_address_base(settings, calls):
    settings.AGORA_GEOCODER = "ban"
    settings.AGORA_GEOCODER_NEAR = "47.90,1.90"
    made = calls(BAN_ANSWER)
    found = geocoding.geocode("8 bd du port orléans")
    assert found == [
        geocoding.Candidate(
            "8 Boulevard du Port 45000 Orléans", Decimal("47.902964"), Decimal("1.909251"), "housenumber", 0.92
        )
    ]
    [(url, kwargs)] = made
    assert url == "https://api-adresse.data.gouv.fr/search/"
    assert kwargs["params"] == {"q": "8 bd du port orléans", "limit": 5, "autocomplete": 0, "lat": 47.9, "lon": 1.9}
    assert kwargs["operator_configured"] is True and kwargs["headers"]["User-Agent"]
    assert geocoding.geocode("8 bd du port orléans") == found and len(made) == 1  # kept for a day
    geocoding.reverse(Decimal("47.902964"), Decimal("1.909251"))
    assert made[-1][0] == "https://api-adresse.data.gouv.fr/reverse/"
    assert made[-1][1]["params"] == {"lat": "47.902964", "lon": "1.909251", "limit": 1}


def test_the_nominatim_backend_asks_openstreetmap(settings, calls, town):
    settings.AGORA_GEOCODER = "nominatim"
    settings.AGORA_GEOCODER_URL = "https://nominatim.intranet.example/"
    settings.AGORA_GEOCODER_NEAR = "47.50,1.10"
    made = calls(
        [
            {
                "lat": "47.5018",
                "lon": "1.1012",
                "display_name": "Médiathèque, Belleville",
                "addresstype": "amenity",
                "importance": 0.4,
                "address": {},
            }
        ]
    )
    [found] = geocoding.geocode("médiathèque", town)
    assert found.label == "Médiathèque, Belleville" and found.latitude == Decimal("47.501800")
    [(url, kwargs)] = made
    assert url == "https://nominatim.intranet.example/search"
    params = kwargs["params"]
    assert params["q"] == "médiathèque" and params["format"] == "jsonv2" and params["countrycodes"] == "fr"
    assert params["viewbox"] == "0.95,47.6,1.25,47.4" and params["accept-language"] == town.default_language


def test_an_unreachable_geocoder_is_a_message_never_a_500(settings, calls, client, participant):
    settings.AGORA_GEOCODER = "ban"
    calls(OutgoingRequestError("The server did not answer in time."))
    with pytest.raises(geocoding.GeocoderUnavailable):
        geocoding.geocode("8 bd du port")
    with translation.override("en"):
        place, message = geocoding.locate("8 bd du port")
    assert place is None and "right now" in message
    client.force_login(participant)
    response = client.get(url_for("geocode"), {"q": "8 bd du port"})
    assert response.status_code == 503 and "pour le moment" in response.json()["message"]


def test_the_lookup_page_is_for_people_logged_in(client, organization, participant):
    assert client.get(url_for("geocode"), {"q": "12 rue des Lilas"}).status_code == 403
    client.force_login(participant)
    data = client.get(url_for("geocode"), {"q": "12 rue des Lilas"}).json()
    assert data["results"][0]["label"].startswith("12 Rue des Lilas") and data["message"] == ""
    assert data["results"][0]["latitude"].startswith("47.50")
    missing = client.get(url_for("geocode"), {"q": "Rue de Nulle-Part"}).json()
    assert missing["results"] == [] and "Rue de Nulle-Part" in missing["message"]
    near = client.get(url_for("geocode"), {"lat": "47.501820", "lng": "1.101240"}).json()
    assert "Médiathèque" in near["results"][0]["label"]
    assert client.get(url_for("geocode"), {"lat": "²", "lng": "1"}).status_code == 400


def test_look_ups_are_limited_per_minute(settings, client, organization, participant):
    # The look-ups are GET requests, which allauth's rate limits skip unless asked.
    settings.ACCOUNT_RATE_LIMITS = {"geocode": "2/m/ip"}
    client.force_login(participant)
    statuses = [client.get(url_for("geocode"), {"q": "12 rue des Lilas"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
