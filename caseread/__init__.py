"""caseread: the terminal case-assessment tool for probation inspectors."""

# the one place the version is written (pyproject.toml reads it): `caseread --version`
# then needs no package metadata scan
__version__ = "0.1.0"
