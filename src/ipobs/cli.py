"""The ``ipobs`` command line: thin commands over the service functions of each floor."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from ipobs.store import open_store

app = typer.Typer(
    help="IP Observatory: records, indicators, monitoring and search for a regional IP programme.",
    no_args_is_help=True,
    add_completion=False,
)

DbOption = Annotated[Optional[Path], typer.Option("--db", help="Database file (default: $IPOBS_DB or ./ipobs.duckdb).")]


def fail(message: str, code: int = 2) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


@app.command()
def init(db: DbOption = None) -> None:
    """Create an empty database with the canonical schema."""
    with open_store(db) as store:
        typer.echo(f"{store.path}: {len(store.counts())} tables ready")


@app.command()
def demo(
    db: DbOption = None,
    scale: Annotated[float, typer.Option(help="1 ≈ 400,000 patent applications 2010–2024.")] = 1.0,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same region.")] = 2019,
    force: Annotated[bool, typer.Option(help="Replace an existing database file.")] = False,
) -> None:
    """Build the synthetic Binhai-like demo region (clearly labelled synthetic)."""
    from ipobs.demo.build import build_demo

    summary = build_demo(db, scale=scale, seed=seed, force=force, echo=typer.echo)
    typer.echo(json.dumps(summary, ensure_ascii=False, indent=1))


@app.command()
def batches(db: DbOption = None, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List import batches: file, SHA-256, counts, time, who."""
    with open_store(db, read_only=True) as store:
        df = store.batches()
    if as_json:
        typer.echo(df.to_json(orient="records", force_ascii=False, date_format="iso"))
    else:
        cols = ["batch_id", "kind", "file_name", "status", "accepted", "updated", "duplicate", "rejected",
                "finished_at", "user_name"]
        typer.echo(df[cols].to_string(index=False) if len(df) else "no batches")


@app.command()
def rejects(batch_id: int, db: DbOption = None) -> None:
    """Show the rejected rows of a batch with row, column and reason."""
    with open_store(db, read_only=True) as store:
        df = store.rejects(batch_id)
    typer.echo(df[["row_no", "column_name", "code", "value", "note"]].to_string(index=False) if len(df) else "none")


@app.command()
def info(db: DbOption = None) -> None:
    """Row counts of every table, and whether the data is synthetic."""
    with open_store(db, read_only=True) as store:
        counts = store.counts()
        synthetic = store.synthetic
    if synthetic:
        typer.echo("合成演示数据 SYNTHETIC DEMO DATA — not real statistics")
    for name, n in counts.items():
        typer.echo(f"{name:20s} {n:>12,d}")


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
