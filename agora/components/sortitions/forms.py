from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from agora.components.models import Component
from agora.components.proposals import api as ideas_api
from agora.core.translations import translated
from agora.spaces.models import Space
from agora.taxonomy.models import Category

ALGORITHM_CHOICES = [
    ("leximin", _("LEXIMIN (fairest: raises the smallest chance, then the next)")),
    ("maximin", _("Maximin (raises the smallest chance only)")),
    ("legacy", _("Legacy greedy method (for comparison)")),
]


class SortitionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    panel_size = forms.IntegerField(label=_("Seats on the panel"), min_value=1, max_value=5000)
    one_per_household = forms.BooleanField(label=_("At most one person per household"), required=False, initial=True)
    algorithm = forms.ChoiceField(label=_("Algorithm"), choices=ALGORITHM_CHOICES, initial="leximin")


class PoolForm(forms.Form):
    file = forms.FileField(
        label=_("Pool of volunteers (CSV)"),
        help_text=_(
            "One line per volunteer, one column per feature (gender, age, district …), and the optional "
            "columns id, household or address, name, contact. A line whose id is already in the pool updates "
            "that volunteer; the others are added. Volunteers who registered through the form are kept."
        ),
    )
    remove_missing = forms.BooleanField(
        label=_("Remove the imported volunteers this file no longer lists"),
        required=False,
        help_text=_("Volunteers who registered through the form are kept all the same."),
    )


class QuotasForm(forms.Form):
    lines = forms.CharField(
        label=_("Quotas"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=format_lazy(
            "{} {}",
            _(
                "One line per value: feature,value,minimum,maximum — or feature,value,share% to derive the "
                "quota from the value's share of the population (rounded, one seat of margin on each side)."
            ),
            _(
                "A minimum or a maximum may also be a percentage of the panel (gender,woman,45%,55%): "
                "the minimum is rounded up, the maximum down."
            ),
        ),
    )


class CommitForm(forms.Form):
    name = forms.CharField(label=_("Party"), max_length=100)
    commitment = forms.CharField(label=_("Commitment (SHA-256, 64 hexadecimal characters)"), max_length=64)


class RevealForm(forms.Form):
    secret = forms.CharField(label=_("Secret revealed"), max_length=200)


class DrawForm(forms.Form):
    public_value = forms.CharField(
        label=_("Public value not known in advance (optional)"),
        max_length=500,
        required=False,
        help_text=_("For example the numbers of a lottery draw or an index close, typed as published."),
    )


class DeclineForm(forms.Form):
    refs = forms.CharField(label=_("Ids of the people who decline (separated by spaces)"), max_length=2000)


class SeatForm(forms.Form):
    space = forms.ModelChoiceField(label=_("Private assembly"), queryset=Space.objects.none())

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = Space.objects.filter(
            organization=organization, kind=Space.Kind.ASSEMBLY, private=True
        ).order_by("slug")


class IdeaDrawForm(forms.Form):
    """A drawing of ideas: which ideas component, which ideas (category, state), how many."""

    title = forms.CharField(label=_("Title"), max_length=200)
    source = forms.ModelChoiceField(label=_("Ideas component"), queryset=Component.objects.none())
    category = forms.ModelChoiceField(
        label=_("Only the ideas of this category"), queryset=Category.objects.none(), required=False
    )
    state = forms.ChoiceField(label=_("Only the ideas in this state"), required=False)
    count = forms.IntegerField(label=_("Ideas to draw"), min_value=1, max_value=10000)

    def __init__(self, *args, space, **kwargs):
        super().__init__(*args, **kwargs)
        sources = ideas_api.ideas_components(space=space)
        self.fields["source"].queryset = sources
        self.fields["category"].queryset = Category.objects.filter(organization=space.organization)
        tokens = sorted(
            {(s.token, translated(s.name)) for source in sources for s in ideas_api.idea_states(component=source)}
        )
        self.fields["state"].choices = [("", _("Any state"))] + [(token, f"{name} ({token})") for token, name in tokens]
