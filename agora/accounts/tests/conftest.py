import io

import pytest
from django.core.cache import cache
from PIL import Image


@pytest.fixture(autouse=True)
def _empty_cache(db):
    """Rate limits count in the cache: start and finish every test clean."""
    cache.clear()
    yield
    cache.clear()


def png_bytes(size=(8, 8), colour="red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def png():
    return png_bytes
