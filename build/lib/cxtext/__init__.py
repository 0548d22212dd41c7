"""cxtext: customer-experience text analytics."""
__version__ = "0.1.0"
