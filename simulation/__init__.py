"""Agent-based simulation of city social management: flat communities versus the
street-office hierarchy (Jiayuguan, 2011-2012)."""

__version__ = "0.1.0"
