"""What other apps tell statistics: participation, as it happens.

    from agora.statistics import api as statistics

    statistics.record(kind=statistics.BALLOT, component=component, person=voter, channel=statistics.PAPER)

Call it in the transaction of the participation it reports (a ballot, an idea
published, a support ...), after the other counters the service moves: its rows
are the last the transaction locks (docs/statistics.md, "Writing"). It costs two
statements: an upsert of the person's three participant rows (the organization,
the space, the component) and an upsert of one day's count.

- `person`: the participant (a User) or None for an anonymous one (a paper
  ballot without identity, a survey answered without an account).
- `channel`: online, desk or paper; by default "desk" while a desk agent acts
  for the person (agora.desk), else "online".
- `district_id`: the district the participation is about when the caller knows
  it (a paper ballot of a district's budget); by default the district of the
  person's verification.

Rebuilding (`manage.py rebuild_statistics`) reads the same events again from
what the components stored: each manifest's `participation` hook
(callable(component) -> iterable of `Event`), and for the layers that are not
components (comments) a source registered with `register_source`."""

from agora.statistics.events import Event, register_source  # noqa: F401
from agora.statistics.kinds import (  # noqa: F401  (the names callers use)
    ANSWER,
    BALLOT,
    CHANNELS,
    COMMENT,
    DEBATE,
    DESK,
    IDEA,
    KINDS,
    ONLINE,
    PAPER,
    REGISTRATION,
    SIGNATURE,
    SUPPORT,
    register_kind,
)
from agora.statistics.services import record  # noqa: F401
