"""KML (districts, cantons ...) to GeoJSON, parsed safely: defusedxml's
parser refuses a document that declares a DOCTYPE, entities or external
resources while it parses, whatever the encoding the document declares (a
filter on the raw bytes missed UTF-16), and sizes are bounded."""

import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_POINTS = 200_000


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _coordinates(text: str, counter: list) -> list:
    points = []
    for chunk in (text or "").split():
        parts = chunk.split(",")
        if len(parts) < 2:
            continue
        try:
            lng, lat = float(parts[0]), float(parts[1])
        except ValueError:
            raise ValidationError(_("The KML file has coordinates that are not numbers.")) from None
        if not (-180 <= lng <= 180 and -90 <= lat <= 90):
            raise ValidationError(_("The KML file has coordinates outside the Earth."))
        points.append([lng, lat])
        counter[0] += 1
        if counter[0] > MAX_POINTS:
            raise ValidationError(_("The KML file has too many points."))
    return points


def _child(element, name):
    return next((child for child in element if _local(child.tag) == name), None)


def _geometry(element, counter):
    kind = _local(element.tag)
    if kind == "Point":
        points = _coordinates(getattr(_child(element, "coordinates"), "text", ""), counter)
        return {"type": "Point", "coordinates": points[0]} if points else None
    if kind == "LineString":
        points = _coordinates(getattr(_child(element, "coordinates"), "text", ""), counter)
        return {"type": "LineString", "coordinates": points} if len(points) >= 2 else None
    if kind == "Polygon":
        rings = []
        for boundary in element:
            if _local(boundary.tag) in ("outerBoundaryIs", "innerBoundaryIs"):
                ring = next((r for r in boundary.iter() if _local(r.tag) == "LinearRing"), None)
                coordinates = _child(ring, "coordinates") if ring is not None else None
                points = _coordinates(getattr(coordinates, "text", ""), counter)
                if len(points) >= 3:
                    if _local(boundary.tag) == "outerBoundaryIs":
                        rings.insert(0, points)
                    else:
                        rings.append(points)
        return {"type": "Polygon", "coordinates": rings} if rings else None
    if kind == "MultiGeometry":
        parts = [g for g in (_geometry(child, counter) for child in element) if g]
        return {"type": "GeometryCollection", "geometries": parts} if parts else None
    return None


def kml_to_geojson(data: bytes) -> dict:
    """A GeoJSON FeatureCollection of the Placemarks of a KML document."""
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The KML file is too large (5 MB at most)."))
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise ValidationError(
            _("This KML file declares a DOCTYPE or entities, which are refused for safety.")
        ) from None
    except (ET.ParseError, LookupError, UnicodeError, ValueError):  # ValueError: e.g. an unknown encoding
        raise ValidationError(_("This file is not a readable KML document.")) from None
    if _local(root.tag) != "kml":
        raise ValidationError(_("This file is not a KML document."))
    counter = [0]
    features = []
    for placemark in root.iter():
        if _local(placemark.tag) != "Placemark":
            continue
        geometry = None
        for child in placemark:
            geometry = _geometry(child, counter)
            if geometry:
                break
        if geometry is None:
            continue
        name = getattr(_child(placemark, "name"), "text", "") or ""
        features.append({"type": "Feature", "properties": {"name": name.strip()[:200]}, "geometry": geometry})
    if not features:
        raise ValidationError(_("The KML file contains no shape we can draw."))
    return {"type": "FeatureCollection", "features": features}
