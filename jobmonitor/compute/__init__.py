"""Compute half: one edition's respondents → the one results table, stage by stage
(load → weights → score → aggregate → estimate → disclosure → significance), no visitor text."""
