"""werklandschap: platform of the Dutch programme Werklandschappen van de Toekomst."""

__version__ = "0.1.0"
