"""Risk-based planning: an explainable risk score per establishment, ranked plans per district and period whose
visits are assigned as inspections (they reach tablets by sync), and campaigns with their progress."""
