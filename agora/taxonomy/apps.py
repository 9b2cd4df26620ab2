from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "agora.taxonomy"
    label = "taxonomy"
    verbose_name = "Categories and scopes"
