from django import forms
from django.utils.translation import gettext_lazy as _

from agora.components.pages.models import Page
from agora.core.forms import TranslatedFieldsMixin


class PageForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"title": {"required": True, "max_length": 200}, "body": {"rich": True}}

    class Meta:
        model = Page
        fields = ["slug"]
        help_texts = {
            "slug": _(
                "Lower-case letters, digits and hyphens, used in the page's address. Leave empty to build it from the title."
            )
        }

    def __init__(self, *args, component, **kwargs):
        self.component = component
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        # Title first, then text, then the address.
        self.order_fields([name for name in self.fields if name != "slug"] + ["slug"])

    def clean_slug(self):
        slug = self.cleaned_data.get("slug", "")
        if slug and Page.objects.filter(component=self.component, slug=slug).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another page of this component already uses this address."))
        return slug
