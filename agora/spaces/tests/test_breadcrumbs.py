"""The breadcrumbs of a space's pages: every step above the page is a link,
the page itself is the current one (aria-current), never a link."""

import re

from django.template import Context, Template

from agora.testing import factories


def crumbs(space, component=None, current=""):
    html = Template("{% load space_parts %}{% space_breadcrumbs space component current %}").render(
        Context({"space": space, "component": component, "current": current})
    )
    return re.findall(r'<li>(?:<a href="([^"]+)">([^<]+)</a>|<span aria-current="page">([^<]+)</span>)</li>', html)


def test_a_page_below_a_component_links_the_component(organization):
    space = factories.SpaceFactory(organization=organization)
    component = factories.ComponentFactory(space=space)
    found = crumbs(space, component, "Des arceaux <vélos>")
    assert [href for href, _label, _current in found[:-1]] == [
        "/processes/",
        space.get_absolute_url(),
        component.get_absolute_url(),
    ]
    assert found[-1] == ("", "", "Des arceaux &lt;vélos&gt;")


def test_the_component_or_the_space_is_the_current_page_when_nothing_is_below(organization):
    space = factories.SpaceFactory(organization=organization)
    component = factories.ComponentFactory(space=space)
    assert crumbs(space, component)[-1][2] == str(component)
    assert crumbs(space)[-1][2] == space.title["fr"]
    assembly = factories.SpaceFactory(organization=organization, kind="assembly")
    assert crumbs(assembly)[0][0] == "/assemblies/"
