"""Schulerfolg sichern: data model, validation and generators for the knowledge portal.

The build in folders by concern (see README, Architecture); only ``adapters/`` imports a generator.
"""
