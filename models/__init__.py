"""Model artifacts shipped with cxtext (installed as ``cxtext.models``).

The files here are data (NPZ/JSON), each with a model card (``*.md``). The recipes that
build them live in ``models/recipes/`` in the source tree and are not installed.
Read artifacts with ``importlib.resources.files("cxtext.models") / name``, never through
``__file__``.
"""
