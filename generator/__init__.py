"""planpub: Vietnamese education-sector plans as a website and calendar feeds."""

__version__ = "0.1.0"  # the one version: pyproject.toml reads it, `planpub --version` prints it
