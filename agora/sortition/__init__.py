"""Selection of citizens' panels by lot, without Django: pools and quotas
(`pool`), the feasibility check (`feasibility`), the selection algorithms
LEXIMIN, maximin and the legacy greedy (`algorithms`) and the verifiable draw
(`draw`). The sortitions component converts its models into a `pool.Instance`
and back; the commands `sortition_select` and `sortition_verify` run the same
code on files, so that a published draw can be checked without the platform.
See docs/sortition.md."""

# Part of every published distribution: a new version may compute another one.
VERSION = "1.0"
