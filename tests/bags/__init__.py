"""Tests of omnilive.bags: none of their own yet; making, replaying and recording bags are
exercised by tests/eval and tests/reliability."""
