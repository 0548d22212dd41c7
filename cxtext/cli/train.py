"""``cxtext train topics``: learn a topic model from hand-coded comments."""
from __future__ import annotations

import click

from ..schema import LANGUAGES
from ..topics.codebook import BUILTIN_CODEBOOKS
from ._common import force_option, library_call, quiet_option

__all__ = ["train"]


@click.group()
def train() -> None:
    """Train models from your own labelled comments.

    \b
    Example:
      cxtext train topics coded.csv --text comment --labels codes -o my-model/
    """


@train.command("topics")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--text", "text_column", required=True, help="Column with the comment text.")
@click.option("--labels", "labels_column", required=True,
              help="Column with the codes; several codes per comment joined by the separator.")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False),
              help="Folder to create for the model (model.json + weights.npz).")
@click.option("--separator", default=";", show_default=True, help="Separator between codes in a cell.")
@click.option("--validation-size", default=0.2, show_default=True, type=float,
              help="Share of rows held out to choose each code's threshold (with --cv 0).")
@click.option("--cv", default=5, show_default=True, type=int,
              help="Cross-validation folds to choose the thresholds (0 = one split of --validation-size).")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the validation split.")
@click.option("--codebook-features", default="default", show_default=True,
              type=click.Choice([*BUILTIN_CODEBOOKS, "none"]),
              help="Built-in codebook whose matches are extra features of the model; none = words only.")
@click.option("--lang", default="auto", show_default=True, type=click.Choice(["auto", *LANGUAGES]),
              help="Language of the comments (for the codebook features); auto = detect each comment's.")
@force_option
@quiet_option
@library_call
def topics(path: str, text_column: str, labels_column: str, output: str, separator: str,
           validation_size: float, cv: int, seed: int, codebook_features: str, lang: str,
           force: bool, quiet: bool) -> None:
    """Train a multi-label topic model on coded comments and save it as data (no pickles).

    Prints precision/recall/F1 per code on the validation rows (out-of-fold with --cv). Use the model with
    ``cxtext tag --topic-model my-model/`` (with the codebook: --topic-combine union). By default the
    topics the default codebook finds are features too, so the model starts from its vocabulary.

    \b
    Example:
      cxtext train topics coded.csv --text comment --labels codes -o my-model/
      cxtext train topics coded.xlsx --text answer --labels codes --lang es --codebook-features none -o m/
    """
    from ..topics.training import train_topics_file, validation_note, validation_table

    model = train_topics_file(path, output, text_column, labels_column, force=force, separator=separator,
                              lang=None if lang == "auto" else lang, validation_size=validation_size, cv=cv,
                              random_state=seed,
                              codebook_features=None if codebook_features == "none" else codebook_features)
    if not quiet:
        click.echo(validation_note(model), err=True)
    click.echo(validation_table(model))
    if not quiet:
        click.echo(f"saved to {output}", err=True)
