"""The omnilive test suite (set-up in conftest.py, shared graph helpers in rosutil.py)."""
