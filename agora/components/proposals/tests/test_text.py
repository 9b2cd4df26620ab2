from agora.components.proposals import selectors
from agora.components.proposals.text import fold, search_text, stems

from .factories import ProposalFactory


def test_fold_and_stem_french_words():
    assert fold("Élan VÉLO œuvre") == "elan velo oeuvre"
    assert stems("Vélos") == stems("velo")
    assert stems("pistes cyclables") == stems("piste cyclable")
    assert stems("des jeux pour les écoles") == stems("jeu école")


def test_search_text_is_unique_stems_framed_by_spaces():
    assert search_text("Vélo vélos", "velo") == " velo "
    assert search_text("", "") == ""


def test_similar_ideas_meet_across_accents_and_plurals(component):
    bikes = ProposalFactory(component=component, title="Des pistes cyclables pour les vélos")
    ProposalFactory(component=component, title="Un concert au parc", body="Musique l'été.")
    found = selectors.similar_proposals(component, title="Piste cyclable velo", body="")
    assert found == [bikes]


def test_search_filter_uses_stems(component):
    bikes = ProposalFactory(component=component, title="Arceaux à vélos")
    ProposalFactory(component=component, title="Concert")
    from django.contrib.auth.models import AnonymousUser

    found = list(selectors.proposals_for_list(component, AnonymousUser(), filters={"q": "VELO", "order": "recent"}))
    assert found == [bikes]
