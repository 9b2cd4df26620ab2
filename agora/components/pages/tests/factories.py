import factory

from agora.components.pages.models import Page
from agora.core.translations import tr
from agora.testing.factories import ComponentFactory


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    component = factory.SubFactory(ComponentFactory, manifest_name="pages")
    title = factory.Sequence(lambda n: tr(f"Page {n}", f"Page {n} (en)"))
    body = factory.LazyFunction(lambda: tr("<p>Texte de la page</p>", "<p>Text of the page</p>"))
    slug = factory.Sequence(lambda n: f"page-{n}")
    weight = factory.Sequence(int)
