import io

import pytest
from PIL import Image

from agora.spaces.models import Role
from agora.testing import factories


@pytest.fixture
def component(process):
    return factories.ComponentFactory(space=process, manifest_name="accountability")


@pytest.fixture
def space_admin(component):
    user = factories.RoleFactory(space=component.space, name=Role.Name.SPACE_ADMIN).user
    factories.member_of(user, component.space.organization)
    return user


def staff_user(space, name):
    user = factories.RoleFactory(space=space, name=name).user
    factories.member_of(user, space.organization)
    return user


def png_bytes(size=(4, 4)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "blue").save(buffer, format="PNG")
    return buffer.getvalue()
