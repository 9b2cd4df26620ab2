"""The demo's newsletters: two sent (in the public archive; one person
"possibly sent" the second, as a worker restarted mid-sending leaves them) and a draft,
composed and sent through the services like an officer would, to the
demo people who accepted the newsletter (agora.demo.city gives them their
consent). Sending goes through the outbox: with no mail relay running, the
e-mails wait there, as any other e-mail of the demo."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agora.components.debates.services import insert_debate
from agora.core.translations import tr
from agora.demo.pictures import draw_scene
from agora.newsletters import services
from agora.newsletters.models import Block, Newsletter, Recipient
from agora.newsletters.upcoming import choices as upcoming_choices
from agora.outbox.models import OutgoingEmail

BUDGET_LETTER = {
    "subject": tr("Budget participatif 2026 : déposez vos idées !", "Participatory budget 2026: file your ideas!"),
    "text": tr(
        "<p>Bonjour,</p><p>Le budget participatif revient : <strong>100 000 €</strong> pour des projets proposés "
        "et choisis par les habitantes et habitants de 16 ans et plus. Vous avez jusqu'au 15 du mois prochain "
        "pour déposer vos idées, en ligne ou à l'accueil de la mairie.</p>",
        "<p>Hello,</p><p>The participatory budget is back: <strong>€100,000</strong> for projects proposed and "
        "chosen by residents aged 16 and over. You have until the 15th of next month to file your ideas, online "
        "or at the town hall's front desk.</p>",
    ),
    "button": tr("Déposer une idée", "File an idea"),
}
RIVERBANKS_LETTER = {
    "subject": tr("Les berges de la Loire : trois scénarios à découvrir", "The Loire riverbanks: three designs"),
    "text": tr(
        "<p>Promenade plantée, guinguette et pontons, ou espace de jeux et de sport : les paysagistes ont dessiné "
        "trois scénarios pour les berges. Une balade commentée a lieu samedi à 10 h au pied du pont (parcours "
        "accessible en fauteuil roulant).</p>",
        "<p>A tree-lined walk, an open-air café with pontoons, or a play and sports area: the landscape architects "
        "drew three designs for the riverbanks. A guided walk takes place on Saturday at 10 am at the foot of the "
        "bridge (wheelchair accessible).</p>",
    ),
    "alt": tr(
        "Les berges de la Loire au coucher du soleil, avec le pont et les lumières de la ville",
        "The Loire riverbanks at sunset, with the bridge and the lights of the town",
    ),
}


def _text(actor, newsletter, text):
    services.save_block(actor=actor, newsletter=newsletter, kind=Block.Kind.TEXT, text=text)


def _upcoming_debate(debates):
    """A debate of the cycling plan that opens in twelve days, for the draft to announce."""
    if debates is None:
        return []
    starts = (timezone.now() + timedelta(days=12)).replace(hour=18, minute=30, second=0, microsecond=0)
    debate = insert_debate(
        component=debates,
        title=tr(
            "Faut-il fermer la rue du Marché aux voitures le samedi ?",
            "Should Market Street close to cars on Saturdays?",
        ),
        description=tr(
            "<p>Les commerçants et les riverains en parlent depuis longtemps : débattons-en avant l'été.</p>",
            "<p>Shopkeepers and residents have talked about it for a long time: let us debate it before summer.</p>",
        ),
        starts_at=starts,
        ends_at=starts + timedelta(days=30),
    )
    return [f"debates.Debate:{debate.pk}"]


def _possibly_sent(newsletter, *, when) -> None:
    row = Recipient.objects.filter(newsletter=newsletter, email__isnull=False).order_by("pk").first()
    if row is None or row.email_id is None:
        return
    OutgoingEmail.objects.filter(pk=row.email_id).update(
        state=OutgoingEmail.State.UNSURE,
        attempts=1,
        handed_at=when,
        sent_at=None,
        last_error="the worker stopped after handing the e-mail to the relay, before recording its answer: "
        "perhaps received; not sent again by itself",
    )


def seed_newsletters(organization, *, actor, budget, consultation, debates=None) -> list[Newsletter]:
    letters = []
    # 1. Sent six weeks ago to everyone who accepted the newsletter.
    first = services.create_newsletter(actor=actor, organization=organization, subject=BUDGET_LETTER["subject"])
    _text(actor, first, BUDGET_LETTER["text"])
    services.save_block(
        actor=actor,
        newsletter=first,
        kind=Block.Kind.BUTTON,
        text=BUDGET_LETTER["button"],
        url=budget.get_absolute_url(),
    )
    services.save_block(
        actor=actor,
        newsletter=first,
        kind=Block.Kind.SPACES,
        text=tr("Les démarches en cours", "What is open now"),
        spaces=[budget, consultation],
    )
    letters.append((services.send(actor=actor, newsletter=first), 42))
    # 2. Sent ten days ago to the followers and participants of the consultation.
    second = services.create_newsletter(actor=actor, organization=organization, subject=RIVERBANKS_LETTER["subject"])
    picture = SimpleUploadedFile("berges.jpg", draw_scene("riverside_lights", "newsletter"), content_type="image/jpeg")
    services.save_block(
        actor=actor,
        newsletter=second,
        kind=Block.Kind.IMAGE,
        image=picture,
        image_alt=RIVERBANKS_LETTER["alt"],
        url=consultation.get_absolute_url(),
    )
    _text(actor, second, RIVERBANKS_LETTER["text"])
    services.save_block(
        actor=actor,
        newsletter=second,
        kind=Block.Kind.BUTTON,
        text=tr("Donner mon avis", "Give my opinion"),
        url=consultation.get_absolute_url(),
    )
    services.set_audience(
        actor=actor,
        newsletter=second,
        audience={"spaces_participants": [consultation.pk, budget.pk], "spaces_followers": [consultation.pk]},
    )
    letters.append((services.send(actor=actor, newsletter=second), 10))
    # Their dates in the past, as if they had been sent then.
    for letter, days in letters:
        when = timezone.now() - timedelta(days=days, hours=3)
        Newsletter.objects.filter(pk=letter.pk).update(started_at=when, sent_at=when + timedelta(minutes=2))
    # The second one's worker was restarted during the sending (a deployment): the e-mail it was
    # handing to the relay is "possibly sent", and waits for the officer's "Send again to them…".
    _possibly_sent(second, when=timezone.now() - timedelta(days=10, hours=3) + timedelta(minutes=1))
    # 3. The next one, a draft the officer is writing.
    draft = services.create_newsletter(
        actor=actor,
        organization=organization,
        subject=tr("Le vote approche : ce qu'il faut savoir", "The vote is coming: what you need to know"),
    )
    _text(
        actor,
        draft,
        tr(
            "<p>Les services de la Ville terminent l'étude des idées. Le vote s'ouvrira en ligne, à la mairie et à "
            "la médiathèque : chaque habitant de 16 ans et plus pourra choisir jusqu'à 3 projets.</p>",
            "<p>The town's services are finishing the study of the ideas. The vote will open online, at the town "
            "hall and at the library: every resident aged 16 and over may choose up to 3 projects.</p>",
        ),
    )
    # The next two meetings of the site (the meetings' manifest declares them upcoming) and the debate.
    meetings = [item.key for item in upcoming_choices(organization) if item.key.startswith("meetings.")][:2]
    upcoming = meetings + _upcoming_debate(debates)
    if upcoming:
        services.save_block(
            actor=actor,
            newsletter=draft,
            kind=Block.Kind.UPCOMING,
            text=tr("À venir", "Coming up"),
            items=upcoming,
        )
    services.set_audience(actor=actor, newsletter=draft, audience={"age_brackets": ["16_17", "18_24", "25_34"]})
    return [first, second, draft]
