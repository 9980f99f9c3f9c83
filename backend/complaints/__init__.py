"""Complaints: confidential reports that prompt inspections (C81 Art. 15(c))."""
