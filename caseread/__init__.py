"""caseread."""
