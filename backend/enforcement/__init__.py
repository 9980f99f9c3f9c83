"""Enforcement: the violations a record's non-compliances are, the measures decided on them (advice to referral),
their deadlines, history, appeals, official notices and follow-up.

Importing the package registers ``violations.on_submitted`` at commit, before the sync projection (which imports
``enforcement.models``) registers its own listener.
"""

from backend.enforcement import violations as _violations  # noqa: F401  (registers the commit listener)
