"""What the desk erases when a person deletes their account: their record as
a managed participant, their desk-agent grant, and their name in the action
log rows of what they did as an agent (the account id stays)."""

from agora.actionlog.models import ActionLog
from agora.desk.models import DeskAgent, ManagedParticipant


def erase_account(user) -> None:
    ManagedParticipant.objects.filter(user=user).delete()
    DeskAgent.objects.filter(user=user).delete()
    for row in ActionLog.objects.filter(data__assisted_by=user.pk).only("id", "data").iterator():
        row.data = {**row.data, "assisted_by_name": str(user)}
        row.save(update_fields=["data"])
