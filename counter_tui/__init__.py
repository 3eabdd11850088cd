"""counter-tui: the Thai-first front-counter app. Importing the package imports nothing heavy."""

__version__ = "0.1.0"
