"""What spaces erase when a person deletes their account: their staff roles
and their admission to private spaces. A seat on an assembly stays, shown
as "Deleted participant" (the assembly's composition is a public record)."""

from agora.spaces.models import Role, SpaceMember


def erase_account(user) -> None:
    Role.objects.filter(user=user).delete()
    SpaceMember.objects.filter(user=user).delete()
