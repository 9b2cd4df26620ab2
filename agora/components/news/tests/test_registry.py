import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from agora.components.registry import registry


def test_news_manifest_is_registered_with_its_hooks():
    manifest = registry.get("news")
    assert manifest is not None
    with translation.override("en"):
        assert str(manifest.label) == "News"
    assert manifest.public_urls == "agora.components.news.urls"
    assert manifest.admin_urls == "agora.components.news.admin_urls"
    # Posts are commentable (agora.comments): the comment settings come with the manifest.
    assert manifest.actions == ("comment",)
    assert [s.name for s in manifest.phase_settings] == ["comments_blocked"]
    assert manifest.default_settings() == {
        "posts_per_page": 10,
        "comments_enabled": True,
        "comments_alignment": False,
        "comments_max_length": 1000,
    }
    for dotted in (manifest.stats, manifest.search, manifest.seed, manifest.exports["json"]):
        assert callable(manifest.hook(dotted))
    assert [kind.name for kind in manifest.home_blocks] == ["news.latest"]
    assert callable(manifest.home_blocks[0].renderer())


@pytest.mark.parametrize("raw, expected", [("20", 20), (1, 1), (50, 50)])
def test_posts_per_page_accepts_1_to_50(raw, expected):
    assert registry["news"].clean_settings({"posts_per_page": raw})["posts_per_page"] == expected


@pytest.mark.parametrize("raw", [0, 51, "many", None])
def test_posts_per_page_refuses_other_values(raw):
    with pytest.raises(ValidationError):
        registry["news"].clean_settings({"posts_per_page": raw})
