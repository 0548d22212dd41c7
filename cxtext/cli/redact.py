"""``cxtext redact``: replace personal data in comments or transcripts by typed placeholders."""
from __future__ import annotations

import click

from ._common import force_option, input_file_options, library_call, quiet_option, table_io_options

__all__ = ["redact", "redaction_options"]


def redaction_options(func):  # noqa: ANN001, ANN201 - click decorator
    """The options ``cxtext redact`` and ``cxtext tag --redact`` share."""
    for option in reversed([
        click.option("--entities", default="all", show_default=True, metavar="LIST",
                     help="Types to redact, comma-separated: EMAIL, URL, IBAN, CARD, ID, PHONE, ADDRESS, PERSON."),
        click.option("--name", "names", multiple=True, metavar="NAME",
                     help="A further name to replace wherever it occurs (repeatable), e.g. a shop's staff."),
        click.option("--pseudonymize-speakers", is_flag=True,
                     help="[transcripts] speaker names become P1, P2, ... (in the speaker column and the text), "
                          "the same in every file of the run; roles such as Interviewer stay."),
        click.option("--speaker-key", metavar="FILE",
                     help="[transcripts] write the key (pseudonym -> speaker) to this CSV; an existing key is "
                          "read first and extended, so later runs keep the same pseudonyms. Never written elsewhere."),
    ]):
        func = option(func)
    return func


@click.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", required=True, metavar="FILE",
              help="Output table (.csv .tsv .xlsx .parquet .jsonl); - = CSV to stdout.")
@click.option("--text", "text", multiple=True, metavar="COLUMN",
              help="[tables] column to redact (repeatable); default: the one free-text column.")
@redaction_options
@input_file_options
@click.option("--unit", default="turn", show_default=True, type=click.Choice(["turn", "cue", "sentence"]),
              help="[transcripts] one row per speaker turn, per cue, or per sentence.")
@click.option("--speakers", metavar="FILE", help="[transcripts] CSV mapping speaker to role/participant id (and aliases).")
@click.option("--exclude-speaker", "exclude_speakers", multiple=True, metavar="NAME",
              help="[transcripts] drop turns of this speaker (case-insensitive, regex allowed); repeatable.")
@table_io_options
@force_option
@quiet_option
@library_call
def redact(inputs: tuple[str, ...], output: str, text: tuple[str, ...], entities: str, names: tuple[str, ...],
           pseudonymize_speakers: bool, speaker_key: str | None, encoding: str | None, sheet: str | None,
           unit: str, speakers: str | None, exclude_speakers: tuple[str, ...], force: bool, quiet: bool) -> None:
    """Replace personal data by [EMAIL], [PHONE], [ID], [IBAN], [CARD], [URL], [ADDRESS], [PERSON].

    INPUT is a table (its text columns are redacted, every other column and row kept in order)
    or transcripts (.txt .vtt .srt .docx, folders, globs: read into turns, the speakers' own names
    replaced wherever they occur). Offline rules and check digits, no model; the input is never
    modified and the output appears only when the run succeeds.

    \b
    Examples:
      cxtext redact comments.csv --text comment -o redacted.csv
      cxtext redact survey.xlsx --text "¿Por qué?" --text other -o redacted.xlsx
      cxtext redact interviews/ --pseudonymize-speakers --speaker-key key.csv -o turns.csv
      cxtext redact focus.vtt --entities PERSON,PHONE,EMAIL -o turns.csv
    """
    from ..redact import Redaction, redact_file

    redaction = Redaction(entities, pseudonymize_speakers, speaker_key, names)
    summary = redact_file(list(inputs), output, redaction, text=list(text), force=force, encoding=encoding,
                          sheet=sheet, unit=unit, speakers=speakers, exclude_speakers=exclude_speakers,
                          progress=not quiet and output != "-")
    if not quiet and output != "-":
        click.echo(f"{redaction.summary()} -> {summary.output}", err=True)
    for failure in summary.failures:
        click.echo(f"Error: {failure}", err=True)
    if summary.failures:
        click.echo(f"{len(summary.failures)} file(s) could not be read; the others were redacted.", err=True)
        raise SystemExit(1)
