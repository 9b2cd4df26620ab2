"""Copying a space for its next edition (agora.spaces.copying): the
configuration of an ideas component (states, extra fields of the form, the
categories and scopes offered, map layers; the evaluation app, built on this
one, copies its grid: agora.components.proposals.evaluation.copying). Never
the ideas, their supports, answers or evaluations."""

from agora.components.proposals.models import CustomField, MapLayer, OfferedTaxonomy, ProposalState


def copy_configuration(source, copy) -> None:
    ProposalState.objects.bulk_create(
        [
            ProposalState(
                component=copy,
                token=state.token,
                name=state.name,
                colour=state.colour,
                meaning=state.meaning,
                weight=state.weight,
            )
            for state in ProposalState.objects.filter(component=source)
        ]
    )
    CustomField.objects.bulk_create(
        [
            CustomField(
                component=copy,
                key=item.key,
                label=item.label,
                help_text=item.help_text,
                kind=item.kind,
                choices=item.choices,
                required=item.required,
                confidential=item.confidential,
                weight=item.weight,
            )
            for item in CustomField.objects.filter(component=source)
        ]
    )
    MapLayer.objects.bulk_create(
        [
            MapLayer(component=copy, name=layer.name, geojson=layer.geojson)
            for layer in MapLayer.objects.filter(component=source)
        ]
    )
    offered = OfferedTaxonomy.objects.filter(component=source).first()
    if offered is not None:
        new = OfferedTaxonomy.objects.create(component=copy)
        new.categories.set(offered.categories.all())
        new.scopes.set(offered.scopes.all())
