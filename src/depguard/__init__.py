"""depguard: stop hallucinated and typosquatted dependencies before they are installed."""

__version__ = "0.1.0"
