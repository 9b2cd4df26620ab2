import factory
from django.utils import timezone

from agora.components.news.models import Post
from agora.core.translations import tr
from agora.testing.factories import ComponentFactory


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    component = factory.SubFactory(ComponentFactory, manifest_name="news")
    title = factory.Sequence(lambda n: tr(f"Actualité {n}", f"News {n}"))
    body = factory.LazyFunction(lambda: tr("<p>Texte de l'actualité</p>", "<p>Text of the news</p>"))
    official = True
    published_at = factory.LazyFunction(timezone.now)
