"""``cxtext tag``: tag survey comments or transcripts."""
from __future__ import annotations

import click

from ..aggregate import NEUTRAL_EMOTION_MIN, OPPOSED_EMOTION_MIN, TOPIC_CONFLICTS, TOPIC_POLAR_MIN
from ..schema import LANGUAGES
from ._common import UsageError, force_option, library_call, quiet_option, table_io_options
from .redact import redaction_options

__all__ = ["tag"]


def _start_language_model(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """With ``--lang auto``, start loading the language model in a thread before the rest of
    the options import pandas and the models (its decompression runs beside them)."""
    if value == "auto" and not ctx.resilient_parsing:
        from ..lang import preload

        preload()
    return value


@click.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", required=True, metavar="FILE",
              help="Output file; its extension (.csv .tsv .xlsx .parquet .jsonl) sets the format; - = CSV to stdout.")
@click.option("--text", "text", metavar="COLUMN",
              help="Column holding the comments (required unless the file has exactly one text column).")
@click.option("--lang", default="auto", show_default=True, type=click.Choice(["auto", *LANGUAGES]),
              is_eager=True, callback=_start_language_model,
              help="Language of the comments; auto detects it per comment.")
@click.option("--default-lang", type=click.Choice(LANGUAGES),
              help="Language for short or ambiguous comments with --lang auto [default: en].")
@click.option("--languages", default=",".join(LANGUAGES), show_default=True, metavar="LIST",
              help="Comma-separated languages auto-detection may choose from.")
@click.option("--backend", default="fast", show_default=True, metavar="NAME",
              help="Sentiment/emotion models: fast (linear, default), accurate (needs cxtext[embeddings]), "
                   "lexicon (rules), transformers (needs cxtext[transformers]), or a registered name.")
@click.option("--codebook", "codebooks", multiple=True, metavar="NAME|FILE",
              help="Topic codebook: default, journey, channel or a YAML file; repeat to add journey/channel columns.")
@click.option("--topic-model", metavar="DIR",
              help="Topic model from 'cxtext train topics' (or an NLI model with --zero-shot).")
@click.option("--topic-combine", default="union", show_default=True, type=click.Choice(["union", "model-only"]),
              help="Use the topic model together with the codebook, or alone.")
@click.option("--topic-context/--no-topic-context", default=True, show_default=True,
              help="Let the backend's topic model confirm, drop or add the codebook's CX topics clause by "
                   "clause; --no-topic-context keeps the codebook's word matches (better on hotel and "
                   "restaurant reviews, see the README).")
@click.option("--zero-shot", is_flag=True, help="Use --topic-model as a zero-shot NLI topic classifier.")
@click.option("--sentiment-model", metavar="PATH_OR_ID", help="[transformers] sentiment classifier.")
@click.option("--emotion-model", metavar="PATH_OR_ID", help="[transformers] emotion classifier.")
@click.option("--label-map", metavar="FILE", help="[transformers] JSON mapping model labels to cxtext labels.")
@click.option("--batch-size", type=click.IntRange(1), help="[transformers/accurate] texts per model batch.")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), help="[transformers] device.")
@click.option("--topic-polar-min", default=TOPIC_POLAR_MIN, show_default=True, type=click.FloatRange(0, 1),
              help="A topic clause the model calls neutral counts as positive/negative in sentiment_<topic> "
                   "when that probability reaches this; 1 keeps the model's neutral.")
@click.option("--topic-conflict", default="verdict", show_default=True, type=click.Choice(TOPIC_CONFLICTS),
              help="sentiment_<topic> when one clause on the topic is positive and another negative: the "
                   "comment's verdict (when positive or negative), or always mixed.")
@click.option("--non-answers/--no-non-answers", default=True, show_default=True,
              help="Read comments like 'n/a', 'nada que añadir' or 'no comments, thanks' as neutral, "
                   "with no topic and no emotion.")
@click.option("--neutral-emotion-min", default=NEUTRAL_EMOTION_MIN, show_default=True, type=click.FloatRange(0, 1),
              help="A comment or sentence read as neutral keeps only the emotions whose probability reaches "
                   "this; 0 keeps every emotion the model gives.")
@click.option("--opposed-emotion-min", default=OPPOSED_EMOTION_MIN, show_default=True, type=click.FloatRange(0, 1),
              help="A comment or sentence read as positive keeps anger, disgust, fear or sadness (read as "
                   "negative: joy or trust) only when its probability reaches this; 0 keeps them all.")
@click.option("--prefix", default="", metavar="TEXT", help="Prefix for the added column names, e.g. cx_.")
@click.option("--encoding", metavar="NAME", help="Encoding of a CSV/TSV input (default: detect UTF-8, else cp1252/latin-1).")
@click.option("--sheet", metavar="NAME", help="Sheet of an .xlsx input (default: the first).")
@click.option("--chunk-size", default=5000, show_default=True, type=click.IntRange(1),
              help="Most rows read, tagged and written at a time (fewer when comments are long).")
@click.option("--jobs", "-j", default=0, type=click.IntRange(0), metavar="N",
              help="Processes that tag: 0 = all cores (default), 1 = this process only. "
                   "The output is the same whatever N is.")
@click.option("--engine", default="local", show_default=True, type=click.Choice(["local", "dask"]),
              help="local: this machine (--jobs); dask: a Dask cluster, INPUT a folder or glob of "
                   ".parquet/.csv/.jsonl parts, -o a folder of Parquet parts (needs cxtext[dask]).")
@click.option("--scheduler", metavar="ADDRESS",
              help="[dask] scheduler address, e.g. tcp://10.0.0.5:8786 (default: a local cluster).")
@click.option("--unit", default="turn", show_default=True, type=click.Choice(["turn", "cue", "sentence"]),
              help="[transcripts] one row per speaker turn, per cue, or per sentence.")
@click.option("--exclude-speaker", "exclude_speakers", multiple=True, metavar="NAME",
              help="[transcripts] drop turns of this speaker (case-insensitive, regex allowed); repeatable.")
@click.option("--speakers", metavar="FILE", help="[transcripts] CSV mapping speaker to role/participant id/demographics.")
@table_io_options
@click.option("--redact", "redact", is_flag=True,
              help="Replace personal data in the text by [EMAIL], [PHONE], [PERSON], ... before tagging "
                   "(see cxtext redact --help); evidence offsets point into the redacted text.")
@redaction_options
@force_option
@quiet_option
@library_call
def tag(inputs: tuple[str, ...], output: str, text: str | None, lang: str, default_lang: str | None,
        languages: str, backend: str, codebooks: tuple[str, ...], topic_model: str | None,
        topic_combine: str, topic_context: bool, zero_shot: bool, sentiment_model: str | None,
        emotion_model: str | None,
        label_map: str | None, batch_size: int | None, device: str | None, topic_polar_min: float,
        topic_conflict: str, non_answers: bool, neutral_emotion_min: float, opposed_emotion_min: float, prefix: str,
        encoding: str | None, sheet: str | None, chunk_size: int, jobs: int, engine: str,
        scheduler: str | None, unit: str,
        exclude_speakers: tuple[str, ...], speakers: str | None, redact: bool, entities: str,
        names: tuple[str, ...], pseudonymize_speakers: bool, speaker_key: str | None, force: bool, quiet: bool) -> None:
    """Tag comments with language, sentiment, emotions and CX topics.

    INPUT is a .csv, .tsv, .xlsx, .parquet or .jsonl table (- reads CSV from stdin), or one or
    more transcripts (.txt, .vtt, .srt, .docx, folders, globs). Every input row comes out once,
    in order, with every input column, followed by: language, sentiment, sentiment_score,
    emotions, topics, topic_evidence and sentiment_<topic>.

    \b
    Examples:
      cxtext tag comments.csv --text comment -o tagged.csv
      cxtext tag big.parquet --text comment --jobs 2 -o tagged.parquet
      cxtext tag comments.xlsx --text "¿Por qué?" -o tagged.parquet
      cxtext tag survey.csv --text comment --lang es --codebook default --codebook journey -o out.csv
      cat comments.csv | cxtext tag - --text comment -o - > tagged.csv
      cxtext tag interviews/*.vtt --exclude-speaker Moderator -o turns.csv
      cxtext tag interviews/ --redact --pseudonymize-speakers --speaker-key key.csv -o turns.csv
      cxtext tag "parts/*.parquet" --text comment --engine dask --scheduler tcp://HOST:8786 -o tagged/
    """
    from ..tagfile import tag_inputs

    zero_shot_options = {"batch_size": batch_size, "device": device} if zero_shot else None
    backend_options = {"sentiment_model": sentiment_model, "emotion_model": emotion_model,
                       "label_map": label_map, "batch_size": batch_size, "device": device}
    options = dict(
        languages=[code.strip() for code in languages.split(",") if code.strip()],
        lang=lang,
        default_lang=default_lang,
        backend=backend,
        backend_options={k: v for k, v in backend_options.items() if v is not None},
        codebooks=list(codebooks or ("default",)),
        topic_model=topic_model,
        topic_combine=topic_combine,
        topic_context=topic_context,
        zero_shot=zero_shot,
        topic_options={k: v for k, v in (zero_shot_options or {}).items() if v is not None} or None,
        prefix=prefix,
        topic_polar_min=topic_polar_min,
        topic_conflict=topic_conflict,
        non_answers=non_answers,
        neutral_emotion_min=neutral_emotion_min,
        opposed_emotion_min=opposed_emotion_min,
    )
    redaction = _redaction(redact, entities, names, pseudonymize_speakers, speaker_key)
    summary = tag_inputs(inputs, output, text=text, engine=engine, scheduler=scheduler, unit=unit,
                         exclude_speakers=exclude_speakers, speakers=speakers, encoding=encoding, sheet=sheet,
                         chunk_size=chunk_size, jobs=jobs, redaction=redaction,
                         pseudonymize_speakers=pseudonymize_speakers, force=force, progress=not quiet, **options)
    if engine == "dask":
        if not quiet:
            click.echo(f"Tagged {summary.rows:,} rows on Dask -> {output}", err=True)
        return
    if redaction is not None:
        if not quiet:
            click.echo(redaction.summary(), err=True)
    if not quiet and output != "-":
        click.echo(f"Tagged {summary.rows:,} rows (column {summary.text_column!r}) in {summary.seconds:.1f} s "
                   f"-> {summary.output}", err=True)
    for failure in summary.failures:  # each message names the file and line
        click.echo(f"Error: {failure}", err=True)
    if summary.failures:
        click.echo(f"{len(summary.failures)} file(s) could not be read; the others were tagged.", err=True)
        raise SystemExit(1)


def _redaction(redact: bool, entities: str, names: tuple[str, ...], pseudonymize: bool, key: str | None):  # noqa: ANN202
    if not redact:
        given = [flag for flag, on in (("--pseudonymize-speakers", pseudonymize), ("--speaker-key", key),
                                        ("--name", names), ("--entities", entities != "all")) if on]
        if given:
            raise UsageError(f"{', '.join(given)} only work(s) with --redact; add --redact")
        return None
    from ..redact import Redaction

    return Redaction(entities, pseudonymize, key, names)
