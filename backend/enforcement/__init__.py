"""Enforcement: the measures decided on an inspection (advice to referral), their deadlines and follow-up."""
