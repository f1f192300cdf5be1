"""Publish half: the published results table → page specs, charts, guides, downloads and the
mkdocs-material site, plus the scan that no file shows a hidden cell; never sees respondents."""
