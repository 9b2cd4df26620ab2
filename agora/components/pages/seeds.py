"""Demo pages: the rules and the FAQ of a 100 000 € participatory budget."""

from agora.components.pages.services import insert_page
from agora.core.translations import tr

RULES = tr(
    "<h2>Objet</h2>"
    "<p>Le budget participatif permet aux habitantes et habitants de proposer et de choisir des projets "
    "d'investissement pour la commune. La Ville y consacre une enveloppe de <strong>100 000 €</strong> "
    "prise sur son budget d'investissement.</p>"
    "<h2>Qui peut participer ?</h2>"
    "<p>Toute personne qui réside dans la commune et qui est âgée de <strong>16 ans et plus</strong>, "
    "quelle que soit sa nationalité. Les élus du conseil municipal ne peuvent pas déposer d'idée.</p>"
    "<h2>Les cinq phases</h2>"
    "<ol>"
    "<li><strong>Dépôt des idées</strong> : chaque personne dépose <strong>au plus 5 idées</strong>, "
    "seule ou à plusieurs.</li>"
    "<li><strong>Étude de faisabilité</strong> : les services de la Ville vérifient que chaque idée relève "
    "des compétences de la commune, concerne l'investissement, respecte la loi et coûte moins que "
    "l'enveloppe. Les idées proches peuvent être regroupées avec l'accord de leurs auteurs. Chaque refus "
    "est motivé publiquement.</li>"
    "<li><strong>Vote</strong> : chaque participant vote pour <strong>au plus 3 projets</strong> parmi "
    "les projets retenus, en ligne ou sur papier à l'accueil de la mairie.</li>"
    "<li><strong>Résultats</strong> : les projets les plus soutenus sont retenus dans l'ordre des voix "
    "jusqu'à épuisement de l'enveloppe de 100 000 €.</li>"
    "<li><strong>Suivi des réalisations</strong> : l'avancement de chaque projet lauréat est publié sur "
    "la plateforme jusqu'à la fin des travaux.</li>"
    "</ol>"
    "<h2>Critères de recevabilité</h2>"
    "<ul>"
    "<li>servir l'intérêt général et être accessible à toutes et tous ;</li>"
    "<li>relever d'une dépense d'investissement (aménagement, équipement, travaux) et non de fonctionnement ;</li>"
    "<li>être situé sur le territoire de la commune, sur l'espace public ou un bâtiment communal ;</li>"
    "<li>coûter au plus 100 000 € TTC.</li>"
    "</ul>"
    "<h2>Engagements de la Ville</h2>"
    "<p>La Ville s'engage à réaliser les projets lauréats dans un délai de deux ans et à rendre compte "
    "publiquement de leur coût final.</p>",
    "<h2>Purpose</h2>"
    "<p>The participatory budget lets residents propose and choose investment projects for the town. "
    "The town sets aside <strong>€100,000</strong> of its investment budget for it.</p>"
    "<h2>Who can take part?</h2>"
    "<p>Anyone who lives in the town and is <strong>aged 16 and over</strong>, whatever their "
    "nationality. Members of the town council cannot submit ideas.</p>"
    "<h2>The five phases</h2>"
    "<ol>"
    "<li><strong>Filing ideas</strong>: each person submits <strong>at most 5 ideas</strong>, alone or "
    "with others.</li>"
    "<li><strong>Feasibility study</strong>: the town's departments check that each idea falls within the "
    "town's powers, is an investment, is lawful and costs less than the envelope. Similar ideas may be "
    "merged with their authors' consent. Every refusal is explained publicly.</li>"
    "<li><strong>Vote</strong>: each participant votes for <strong>at most 3 projects</strong> among the "
    "selected ones, online or on paper at the town hall's front desk.</li>"
    "<li><strong>Results</strong>: the projects with the most votes are selected in order until the "
    "€100,000 envelope is used up.</li>"
    "<li><strong>Follow-up of the works</strong>: the progress of each winning project is published on the "
    "platform until the works are finished.</li>"
    "</ol>"
    "<h2>Eligibility criteria</h2>"
    "<ul>"
    "<li>serve the general interest and be open to everyone;</li>"
    "<li>be an investment expense (fittings, equipment, works), not a running cost;</li>"
    "<li>be located in the town, in a public space or a municipal building;</li>"
    "<li>cost at most €100,000 including VAT.</li>"
    "</ul>"
    "<h2>The town's commitments</h2>"
    "<p>The town commits to carrying out the winning projects within two years and to reporting publicly "
    "on their final cost.</p>",
)

FAQ = tr(
    "<h2>Je n'ai pas 18 ans, puis-je participer ?</h2>"
    "<p>Oui, dès <strong>16 ans</strong>, si vous habitez la commune. Vous pouvez déposer des idées et "
    "voter comme tout le monde.</p>"
    "<h2>Combien d'idées puis-je déposer ?</h2>"
    "<p>Au plus <strong>5 idées</strong> par personne. Une idée déposée à plusieurs compte pour la "
    "personne qui la dépose.</p>"
    "<h2>Pour combien de projets puis-je voter ?</h2>"
    "<p>Pour <strong>3 projets au plus</strong>. Vous pouvez modifier votre choix tant que le vote est "
    "ouvert.</p>"
    "<h2>Quel est le montant du budget participatif ?</h2>"
    "<p>L'enveloppe est de <strong>100 000 €</strong>. Un même projet ne peut pas dépasser ce montant.</p>"
    "<h2>Je n'ai pas d'ordinateur, comment faire ?</h2>"
    "<p>L'accueil de la mairie et la médiathèque vous aident à déposer une idée ou à voter, aux heures "
    "d'ouverture. Un bulletin papier est aussi disponible pendant la phase de vote.</p>"
    "<h2>Pourquoi mon idée a-t-elle été écartée ?</h2>"
    "<p>Pendant l'étude de faisabilité, chaque idée écartée reçoit une réponse motivée, publiée sur sa "
    "page : coût trop élevé, compétence d'une autre collectivité, dépense de fonctionnement…</p>"
    "<h2>Quand les projets seront-ils réalisés ?</h2>"
    "<p>Les travaux commencent après l'annonce des résultats. Suivez leur avancement dans la phase "
    "« Suivi des réalisations ».</p>",
    "<h2>I am under 18: can I take part?</h2>"
    "<p>Yes, from <strong>16 years old</strong>, if you live in the town. You can submit ideas and vote "
    "like everyone else.</p>"
    "<h2>How many ideas can I submit?</h2>"
    "<p>At most <strong>5 ideas</strong> per person. An idea submitted by a group counts for the person "
    "who files it.</p>"
    "<h2>How many projects can I vote for?</h2>"
    "<p><strong>At most 3 projects</strong>. You can change your choice as long as the vote is open.</p>"
    "<h2>How big is the participatory budget?</h2>"
    "<p>The envelope is <strong>€100,000</strong>. No single project may cost more than that.</p>"
    "<h2>I do not have a computer: what can I do?</h2>"
    "<p>The town hall's front desk and the library help you submit an idea or vote during opening hours. "
    "A paper ballot is also available during the vote.</p>"
    "<h2>Why was my idea turned down?</h2>"
    "<p>During the feasibility study, every idea turned down gets a reasoned answer, published on its "
    "page: too expensive, within another authority's powers, a running cost…</p>"
    "<h2>When will the projects be carried out?</h2>"
    '<p>Works start once the results are announced. Follow their progress during the "Follow-up of the '
    'works" phase.</p>',
)


def seed(component):
    insert_page(
        component=component,
        slug="reglement",
        title=tr("Règlement du budget participatif", "Rules of the participatory budget"),
        body=RULES,
    )
    insert_page(
        component=component,
        slug="faq",
        title=tr("Questions fréquentes", "Frequently asked questions"),
        body=FAQ,
    )
    component.settings = {**(component.settings or {}), "show_table_of_contents": True}
    component.save(update_fields=["settings"])
