"""The shared parser-based check (agora.testing.xss), under the name these tests use."""

from agora.testing.xss import assert_no_live_payload as assert_no_live_markup  # noqa: F401
