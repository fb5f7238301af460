"""Command groups of the `caseread` CLI, one module each."""
