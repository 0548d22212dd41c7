"""``python -m cxtext`` runs the command line."""
from .cli import main

main()
