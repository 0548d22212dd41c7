"""``cxtext themes discover``: themes below the six CX topics, found in the comments."""
from __future__ import annotations

import click

from ..schema import LANGUAGES
from ._common import force_option, library_call, quiet_option, speaker_options, warnings_shown_unless

__all__ = ["themes"]


@click.group()
def themes() -> None:
    """Discover themes below the six CX topics, in several languages at once.

    \b
    Examples:
      cxtext themes discover comments.csv --text comment -o themed.csv --codebook-out themes.yaml
      cxtext tag new.csv --text comment --codebook themes.yaml -o tagged.csv
      cxtext drivers themed.csv --score nps --drivers themes
    """


@themes.command("discover")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", required=True, metavar="FILE",
              help="Output table (.csv .tsv .xlsx .parquet .jsonl; - = CSV to stdout): the input plus theme, "
                   "themes, theme_topic, theme_evidence.")
@click.option("--text", metavar="COLUMN", help="Column holding the comments (optional when there is one text column).")
@click.option("--codebook-out", metavar="FILE.yaml",
              help="Also write the themes as an editable codebook (extends default) for 'cxtext tag --codebook'.")
@click.option("--themes-out", metavar="FILE", help="Also write one row per theme: names, size, sentiment, quotes.")
@click.option("--min-size", default=10, show_default=True, type=click.IntRange(1),
              help="A theme needs at least this many clauses.")
@click.option("--max-themes", default=30, show_default=True, type=click.IntRange(1), help="At most this many themes.")
@click.option("--unit", default="clause", show_default=True, type=click.Choice(["clause", "sentence"]),
              help="Find themes in each clause or each sentence.")
@click.option("--lang", default="auto", show_default=True, type=click.Choice(["auto", *LANGUAGES]),
              help="Language of the comments; auto detects it per comment (a tagged input's language column is used).")
@click.option("--languages", default=",".join(LANGUAGES), show_default=True, metavar="LIST",
              help="Comma-separated languages auto-detection may choose from.")
@click.option("--default-lang", type=click.Choice(LANGUAGES), help="Language of short or ambiguous comments [default: en].")
@click.option("--embedding", default="auto", show_default=True, type=click.Choice(["auto", "accurate", "lexical"]),
              help="accurate = the e5 encoder of cxtext[embeddings] (themes cross languages); lexical = word-based "
                   "fallback (fast, themes split by language); auto = accurate when installed.")
@click.option("--max-encoded", default=10_000, show_default=True, type=click.IntRange(0),
              help="[accurate] encode at most this many distinct clauses; with more, themes come from a sample "
                   "and the rest are placed by their words (0 = encode all).")
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed of the clustering.")
@click.option("--prefix", default="", metavar="TEXT", help="Prefix for the added column names.")
@click.option("--encoding", metavar="NAME", help="Encoding of a CSV/TSV input.")
@click.option("--sheet", metavar="NAME", help="Sheet of an .xlsx input.")
@click.option("--transcript-unit", default="turn", show_default=True, type=click.Choice(["turn", "cue", "sentence"]),
              help="[transcripts] one row per speaker turn, cue or sentence.")
@speaker_options
@force_option
@quiet_option
@library_call
def discover(inputs: tuple[str, ...], output: str, text: str | None, codebook_out: str | None,
             themes_out: str | None, min_size: int, max_themes: int, unit: str, lang: str, languages: str,
             default_lang: str | None, embedding: str, max_encoded: int, seed: int, prefix: str, encoding: str | None,
             sheet: str | None, transcript_unit: str, exclude_speakers: tuple[str, ...], speakers: str | None,
             force: bool, quiet: bool) -> None:
    """Discover themes in a table or transcripts (raw or already tagged) and write them per comment.

    Comments are split into clauses; similar clauses, in any of the languages, form a theme,
    placed under one of the six CX topics (or 'other') and named with a short key phrase in
    each language. Every input row and column is kept, in order; added: theme (the main
    theme), themes (all, ;-joined), theme_topic and theme_evidence (JSON spans with their
    sentiment). Needs cxtext[embeddings] for themes across languages (else a word-based
    fallback with a warning).

    \b
    Examples:
      cxtext themes discover comments.csv --text comment -o themed.csv --codebook-out themes.yaml
      cxtext themes discover tagged.parquet -o themed.parquet --themes-out themes.xlsx --min-size 20
      cxtext themes discover interviews/ --exclude-speaker Moderator -o themed.csv
      cxtext codebook check themes.yaml
    """
    from ..themes.discover import discover_themes

    with warnings_shown_unless(quiet):
        summary = discover_themes(
            inputs, output, text=text, codebook_out=codebook_out, themes_out=themes_out, prefix=prefix,
            force=force, encoding=encoding, sheet=sheet, transcript_unit=transcript_unit,
            exclude_speakers=exclude_speakers, speakers=speakers, progress=not quiet,
            min_size=min_size, max_themes=max_themes, unit=unit, lang=lang, default_lang=default_lang,
            languages=[code.strip() for code in languages.split(",") if code.strip()],
            embedding=embedding, seed=seed, max_encoded=max_encoded or None,
        )
    if not quiet:
        _print_summary(summary)
    for failure in summary.failures:
        click.echo(f"Error: {failure}", err=True)
    if summary.failures:
        click.echo(f"{len(summary.failures)} file(s) could not be read; themes come from the others.", err=True)
        raise SystemExit(1)


def _print_summary(summary) -> None:  # noqa: ANN001 - DiscoverSummary
    model = summary.model
    click.echo(f"{len(model.themes_)} themes in {summary.rows:,} rows (column {summary.text_column!r}, "
               f"{100 * summary.coverage:.0f}% with a theme) in {summary.seconds:.1f} s -> {summary.output}"
               + (f", {summary.codebook}" if summary.codebook else ""), err=True)
    for theme in model.themes_:
        names = " | ".join(f"{lang}: {name}" for lang, name in theme.names.items())
        negative, positive = theme.sentiment["negative"], theme.sentiment["positive"]
        click.echo(f"  {theme.id:<38} {theme.comments:>6} comments  {100 * negative:3.0f}% neg "
                   f"{100 * positive:3.0f}% pos  {names}", err=True)

