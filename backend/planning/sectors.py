"""Sector hazard for the risk score, from the ISIC Rev.4 code an establishment is recorded with: 3 for mining (B),
construction (F) and the heavy and chemical manufacturing divisions; 2 for agriculture (A), other manufacturing
(C), energy and water (D, E) and transport (H); 1 for the rest."""

from backend.checklists.definition import isic_section

HIGH_SECTIONS = {"B", "F"}
HIGH_DIVISIONS = {"19", "20", "23", "24"}  # coke and petroleum, chemicals, non-metallic minerals, basic metals
MEDIUM_SECTIONS = {"A", "C", "D", "E", "H"}


def hazard(isic: str) -> int:
    section = isic_section(isic)
    if section in HIGH_SECTIONS or (isic[:2] in HIGH_DIVISIONS and isic[:1].isdigit()):
        return 3
    if section in MEDIUM_SECTIONS:
        return 2
    return 1
