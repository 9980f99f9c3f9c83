"""Accidents at work, commuting accidents and occupational disease cases: what the 16th ICLS resolution needs for
statistics, and the class under the Regulation on the Reporting, Investigation and Handling of Production Safety
Accidents (2007)."""
