from django.core.cache import cache


def test_the_footer_links_to_the_source_code_when_configured(client, organization, settings):
    settings.SOURCE_CODE_URL = ""
    assert "Code source" not in client.get("/").content.decode()
    settings.SOURCE_CODE_URL = "https://git.example.org/agora"
    cache.clear()  # the home page is in the page cache; a setting changes only with a restart
    html = client.get("/").content.decode()
    assert 'href="https://git.example.org/agora"' in html and "Code source (licence AGPL)" in html
