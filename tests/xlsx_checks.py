"""Checks every workbook test shares: valid against the OOXML standard (openxml-audit, the
Open XML SDK's rules in Python)."""

from __future__ import annotations

from pathlib import Path

from openxml_audit import OpenXmlValidator


def audit_errors(path: Path) -> list[str]:
    """Every error the OOXML validator finds in the workbook (schema and semantic rules)."""
    result = OpenXmlValidator(max_errors=50).validate(str(path))
    return [str(error) for error in result.errors]
