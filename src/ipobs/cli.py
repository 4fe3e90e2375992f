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

    try:
        summary = build_demo(db, scale=scale, seed=seed, force=force, echo=typer.echo)
    except (FileExistsError, ValueError) as e:
        fail(str(e))
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


def _search_store(db, write: bool = False):
    from ipobs.store.db import resolve_db_path

    path = resolve_db_path(db)
    if not path.exists():
        fail(f"no database at {path}: build one with `ipobs demo` or `ipobs init`, or pass --db")
    return open_store(path, read_only=not write)


def _query_failed(exc) -> None:
    typer.echo(exc.pointer(), err=True)
    fail(exc.message)


@app.command("search")
def search_cmd(
    query: Annotated[str, typer.Argument(help="A query, e.g. '锂电池 ipc:H01M filed:2019..' (see docs/search.md).")],
    db: DbOption = None,
    page: Annotated[int, typer.Option(help="Result page (from 1).")] = 1,
    per_page: Annotated[int, typer.Option("--per-page", help="Results per page (at most 1000).")] = 20,
    sort: Annotated[str, typer.Option(help="relevance, date (newest first) or date_asc.")] = "relevance",
    fmt: Annotated[str, typer.Option("--format", help="table, json or xlsx (xlsx needs -o).")] = "table",
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write to this file.")] = None,
    save: Annotated[Optional[str], typer.Option("--save", help="Also save the query under this name.")] = None,
) -> None:
    """Search patents (Chinese or English, fields, AND/OR/NOT, ranges); exit 2 on a bad query."""
    from ipobs.search import QueryError, SavedSearchError, SearchError, save_search, search
    from ipobs.search.export import table, xlsx

    if fmt not in ("table", "json", "xlsx"):
        fail(f"unknown format '{fmt}': use table, json or xlsx")
    if fmt == "xlsx" and output is None:
        fail("--format xlsx needs -o FILE.xlsx")
    with _search_store(db, write=bool(save)) as store:
        try:
            result = search(store, query, page=page, per_page=per_page, sort=sort, update_index=True)
            if save:
                save_search(store, save, query)
        except QueryError as exc:
            _query_failed(exc)
        except (SearchError, SavedSearchError) as exc:
            fail(str(exc))
    if fmt == "xlsx":
        typer.echo(f"{xlsx(result, output)}: {len(result.hits)} of {result.total:,} patents")
        return
    text = json.dumps(result.to_dict(), ensure_ascii=False, indent=1) if fmt == "json" else table(result)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
        typer.echo(f"{output}: {len(result.hits)} of {result.total:,} patents")
    else:
        typer.echo(text)


@app.command()
def similar(
    patent_id: Annotated[Optional[str], typer.Argument(help="A patent id, e.g. CN201910012345.")] = None,
    text: Annotated[Optional[str], typer.Option("--text", help="Or a pasted text (title, abstract, claims…).")] = None,
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="How many similar patents.")] = 20,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Patents most like a patent or a text, with the terms that made the match."""
    from ipobs.search import NotFound, SearchError, similar as find_similar
    from ipobs.search.export import similar_table

    with _search_store(db) as store:
        try:
            result = find_similar(store, patent_id=patent_id, text=text, limit=limit, update_index=True)
        except (SearchError, NotFound) as exc:
            fail(exc.args[0] if exc.args else str(exc))
    typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=1) if fmt == "json" else similar_table(result))


@app.command("index")
def index_cmd(
    db: DbOption = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Rebuild from scratch instead of updating.")] = False,
) -> None:
    """Build or update the patent search index beside the database (<db>.search/)."""
    from ipobs.search import build, ensure_fresh, index_dir
    from ipobs.search.index import dir_bytes, read_manifest

    with _search_store(db) as store:
        if rebuild:
            info = build(store, echo=typer.echo)
            typer.echo(f"{info.path}: {info.docs:,} patents in {info.seconds:.1f} s "
                       f"({info.per_second:,.0f}/s), {info.bytes / 1e6:.1f} MB")
            return
        fresh = ensure_fresh(store, update_index=True, echo=typer.echo)
        path = index_dir(store)
    if fresh.warning:
        fail(fresh.warning, code=1)
    m = read_manifest(path)
    what = "rebuilt" if fresh.rebuilt else (f"{fresh.reindexed:,} patents re-indexed" if fresh.reindexed else "up to date")
    typer.echo(f"{path}: {what}; {m.docs:,} patents, batches up to {max(m.covered, default=0)}, "
               f"{dir_bytes(path) / 1e6:.1f} MB")


# ------------------------------------------------------------------ plan / indicators
plan_app = typer.Typer(help="The work plan as data: goals, tasks, departments, targets.", no_args_is_help=True)
app.add_typer(plan_app, name="plan")
indicators_app = typer.Typer(help="The indicator registry: list, docs.", no_args_is_help=True)
app.add_typer(indicators_app, name="indicators")
FormatOption = Annotated[str, typer.Option("--format", help="table, json or csv.")]


def _check_format(fmt: str, allowed=("table", "json", "csv")) -> None:
    if fmt not in allowed:
        fail(f"unknown format {fmt!r}; use one of {', '.join(allowed)}")


@plan_app.command("show")
def plan_show(name: Annotated[str, typer.Argument(help="A shipped plan name or a plan file.")] = "binhai-2019",
              fmt: FormatOption = "table") -> None:
    """Show a plan: goal areas with their targets, tasks with departments, measures."""
    from ipobs.plan import PlanError, load_plan
    from ipobs.plan.show import plan_text

    _check_format(fmt, ("table", "json"))
    try:
        plan = load_plan(name)
    except PlanError as e:
        fail(str(e))
    typer.echo(plan_text(plan, fmt))


@plan_app.command("validate")
def plan_validate(file: Path) -> None:
    """Check a plan file; every problem is reported with its line and field."""
    from ipobs.plan import validate_file

    issues = validate_file(file)
    if issues:
        fail("\n".join(str(i) for i in issues), code=1)
    typer.echo(f"{file}: valid")


@indicators_app.command("list")
def indicators_list(fmt: FormatOption = "table") -> None:
    """Every indicator with its id, names, unit, kind and breakdowns."""
    from ipobs.indicators.views import list_text

    _check_format(fmt)
    typer.echo(list_text(fmt))


@indicators_app.command("docs")
def indicators_docs(out: Annotated[Path, typer.Option(help="Where to write.")] = Path("docs/indicators.md"),
                    check: Annotated[bool, typer.Option(help="Fail if the file is stale.")] = False) -> None:
    """Write docs/indicators.md from the registry (or --check that it is current)."""
    from ipobs.indicators.docs import render

    text = render()
    if check:
        if not out.exists() or out.read_text(encoding="utf-8") != text:
            fail(f"{out} is stale; run: ipobs indicators docs", code=1)
        typer.echo(f"{out}: current")
        return
    out.write_text(text, encoding="utf-8")
    typer.echo(f"{out}: {text.count(chr(10)):,} lines")


@app.command("indicator")
def indicator_cmd(
    indicator_id: str,
    as_of: Annotated[str, typer.Option("--as-of", help="Date YYYY-MM-DD.")],
    region: Annotated[Optional[str], typer.Option(help="Region code (default: the home region).")] = None,
    industry: Annotated[Optional[str], typer.Option(help="Industry id (patent indicators).")] = None,
    show_records: Annotated[bool, typer.Option("--records", help="List the records behind the value.")] = False,
    limit: Annotated[int, typer.Option(help="Records per page.")] = 50,
    offset: Annotated[int, typer.Option(help="Records to skip.")] = 0,
    setting: Annotated[Optional[list[str]], typer.Option(help="NAME=VALUE indicator setting (repeatable).")] = None,
    fmt: FormatOption = "table",
    db: DbOption = None,
) -> None:
    """One indicator as of a date, with its parts; --records lists the records behind it."""
    from ipobs.indicators import compute, records
    from ipobs.indicators.views import parse_settings, records_text, value_text

    _check_format(fmt)
    try:
        settings = parse_settings(setting)
        with open_store(db, read_only=True) as store:
            if show_records:
                df, total = records(store, indicator_id, as_of, region, industry, limit=limit, offset=offset,
                                    settings=settings)
                typer.echo(records_text(df, total, fmt, offset=offset, synthetic=store.synthetic))
            else:
                typer.echo(value_text(compute(store, indicator_id, as_of, region, industry, settings), fmt))
    except KeyError as e:
        fail(str(e.args[0]) if e.args else str(e))
    except ValueError as e:
        fail(str(e))


@app.command("export")
def export_cmd(parquet: Annotated[Path, typer.Option("--parquet", help="Directory for <table>.parquet files.")],
               db: DbOption = None) -> None:
    """Write every table as Parquet (for Spark or any other engine; see docs/scale.md)."""
    from ipobs.indicators import export_parquet

    with open_store(db, read_only=True) as store:
        counts = export_parquet(store, parquet)
    typer.echo(f"{parquet}: {len(counts)} tables, {sum(counts.values()):,} rows")


@app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="The file to import: .xlsx, .xls, .csv, .json …")],
    db: DbOption = None,
    kind: Annotated[Optional[str], typer.Option("--kind", help="Record kind, when a file could be several.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    strict: Annotated[bool, typer.Option("--strict", help="Import nothing when any row is rejected.")] = False,
    encoding: Annotated[Optional[str], typer.Option("--encoding", help="CSV text encoding (default: sniffed).")] = None,
    user: Annotated[Optional[str], typer.Option("--user", help="Who imports (logged with the batch).")] = None,
    rejects_out: Annotated[Optional[Path], typer.Option("--rejects-out", help="Write rejected rows to this .xlsx.")] = None,
) -> None:
    """Import a file: detect its format, map its columns, store it as one batch, summarize."""
    from ipobs.sources.importer import ImportFailed, import_file, summary_lines, write_rejects

    if fmt not in ("table", "json"):
        fail(f"--format must be table or json, not {fmt!r}")
    try:
        with open_store(db) as store:
            summary = import_file(store, file, kind=kind, strict=strict, encoding=encoding, user=user)
    except ImportFailed as e:
        fail(str(e))
    written = None
    if rejects_out and summary.rejects:
        written = write_rejects(file, summary, rejects_out, encoding=encoding)
    if fmt == "json":
        d = summary.to_dict()
        d["rejects_file"] = str(rejects_out) if written is not None else None
        typer.echo(json.dumps(d, ensure_ascii=False, indent=1, default=str))
    else:
        typer.echo("\n".join(summary_lines(summary)))
        if written is not None:
            typer.echo(f"  {written} rejected rows written to {rejects_out} (fix them there and import that file)")


entities_app = typer.Typer(help="Applicant/owner entities: name variants, merges and splits.", no_args_is_help=True)
app.add_typer(entities_app, name="entities")


@entities_app.command("list")
def entities_list(db: DbOption = None,
                  search: Annotated[Optional[str], typer.Option("--search", help="Part of a name.")] = None,
                  limit: Annotated[int, typer.Option(help="Rows shown.")] = 50,
                  as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Entities with their number of name variants (largest groups first)."""
    from ipobs.entities.resolve import entity_table

    with open_store(db, read_only=True) as store:
        df = entity_table(store, search=search, limit=limit)
    if as_json:
        typer.echo(df.to_json(orient="records", force_ascii=False))
    else:
        typer.echo(df.to_string(index=False) if len(df) else "no entities")


@entities_app.command("show")
def entities_show(name: str, db: DbOption = None) -> None:
    """Every name variant of the entity a name belongs to, with the rule and confidence that grouped it."""
    from ipobs.entities.resolve import OverrideError, variants

    with open_store(db, read_only=True) as store:
        try:
            df = variants(store, name)
        except OverrideError as e:
            fail(str(e))
    typer.echo(df.to_string(index=False))


@entities_app.command("merge")
def entities_merge(keep: str, other: str, db: DbOption = None,
                   user: Annotated[Optional[str], typer.Option("--user")] = None) -> None:
    """Make OTHER's entity part of KEEP's (a manual override that survives re-imports)."""
    from ipobs.entities.resolve import OverrideError, merge

    with open_store(db) as store:
        try:
            res = merge(store, keep, other, user=user)
        except OverrideError as e:
            fail(str(e))
    typer.echo(f"{res.message} (batch {res.batch_id})")


@entities_app.command("split")
def entities_split(name: str, db: DbOption = None,
                   user: Annotated[Optional[str], typer.Option("--user")] = None) -> None:
    """Give NAME its own entity (a manual override that survives re-imports)."""
    from ipobs.entities.resolve import OverrideError, split

    with open_store(db) as store:
        try:
            res = split(store, name, user=user)
        except OverrideError as e:
            fail(str(e))
    typer.echo(f"{res.message} (batch {res.batch_id})")


# ------------------------------------------------------------------ analytics and reports
report_app = typer.Typer(help="Reports people hand on: monitoring and patent navigation as PDF, HTML or XLSX.",
                         no_args_is_help=True)
app.add_typer(report_app, name="report")
OutOption = Annotated[Path, typer.Option("-o", "--output", help="File to write: .pdf, .html or .xlsx.")]
LangOption = Annotated[str, typer.Option("--lang", help="zh or en.")]


def _set_text(query, ipc, industry, entity, set_) -> str:
    parts = [f"query:{query}" if query else "", f"ipc:{ipc}" if ipc else "", f"industry:{industry}" if industry else "",
             f"entity:{entity}" if entity else "", set_ or ""]
    text = ";".join(p for p in parts if p)
    if not text:
        fail("say which patents: --query, --ipc, --industry, --entity or --set")
    return text


@report_app.command("navigation")
def report_navigation(
    output: OutOption,
    query: Annotated[Optional[str], typer.Option(help="Search query (a saved search's text).")] = None,
    ipc: Annotated[Optional[str], typer.Option(help="IPC prefixes, comma-separated (G06N,G06F).")] = None,
    industry: Annotated[Optional[str], typer.Option(help="Plan industry id (see ipobs.records.industries).")] = None,
    entity: Annotated[Optional[str], typer.Option(help="Applicant entity id.")] = None,
    set_: Annotated[Optional[str], typer.Option("--set", help="A set in text form, e.g. 'ipc:H01M;years:2015-2024'.")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Date of legal status (YYYY-MM-DD; default today).")] = None,
    region: Annotated[str, typer.Option(help="Region compared with the whole set.")] = "120116",
    lang: LangOption = "zh",
    db: DbOption = None,
) -> None:
    """Patent-navigation report (GB/T 39551 structure) of a patent set."""
    from ipobs.analytics.patent_set import PatentSetError
    from ipobs.reports.navigation import build_navigation_report
    from ipobs.reports.render import format_of, write

    text = _set_text(query, ipc, industry, entity, set_)
    try:
        format_of(output)
        with open_store(db, read_only=True) as store:
            report, analysis = build_navigation_report(store, text, as_of, region or None, lang)
            write(report, output)
    except (PatentSetError, ValueError, KeyError) as e:
        fail(str(e).strip("'\""))
    typer.echo(f"{output}: {analysis['set']['size']} patents, {len(report.sections)} sections")


@report_app.command("monitoring")
def report_monitoring(
    output: OutOption,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Statistics date (YYYY-MM-DD; default today).")] = None,
    region: Annotated[Optional[str], typer.Option(help="Region (default: the plan's).")] = None,
    lang: LangOption = "zh",
    plan: Annotated[str, typer.Option(help="Plan name or file.")] = "binhai-2019",
    db: DbOption = None,
) -> None:
    """Monitoring report: every plan target as of a date, by goal area and department, with forecasts."""
    from ipobs.records.dates import date_or_today
    from ipobs.reports.monitoring import build_monitoring_report
    from ipobs.reports.render import format_of, write

    try:
        format_of(output)
        with open_store(db, read_only=True) as store:
            report, statuses = build_monitoring_report(store, date_or_today(as_of), region=region, lang=lang,
                                                       plan=plan)
            write(report, output)
    except (ValueError, KeyError, FileNotFoundError) as e:
        fail(str(e).strip("'\""))
    typer.echo(f"{output}: {len(statuses)} targets as of {report.as_of}")


@app.command("analyze")
def analyze_cmd(
    query_or_set: Annotated[str, typer.Argument(help="A query, or a set: 'ipc:G06N;region:120116', 'industry:nev', "
                                                     "'entity:E1', 'ids:CN…,CN…', 'portfolio:ID'.")],
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Date of legal status (default today).")] = None,
    region: Annotated[str, typer.Option(help="Region compared with the whole set ('' for none).")] = "120116",
    sections: Annotated[Optional[str], typer.Option(help="Comma-separated section ids (default all).")] = None,
    lang: LangOption = "zh",
    fmt: Annotated[str, typer.Option("--format", help="json or table.")] = "table",
    db: DbOption = None,
) -> None:
    """The navigation analyses of a patent set (JSON with --format json)."""
    from ipobs.analytics.navigation import analyze
    from ipobs.analytics.patent_set import PatentSetError

    if fmt not in ("json", "table"):
        fail(f"--format must be json or table, not {fmt!r}")
    try:
        with open_store(db, read_only=True) as store:
            result = analyze(store, query_or_set, as_of=as_of, region=region or None, lang=lang,
                             sections=[s.strip() for s in sections.split(",")] if sections else None)
    except (PatentSetError, ValueError, KeyError) as e:
        fail(str(e).strip("'\""))
    if fmt == "json":
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1, default=str))
        return
    typer.echo(f"{result['set']['description_' + lang]} — {result['set']['size']} patents, as of {result['as_of']}")
    if result["synthetic"]:
        typer.echo("合成演示数据 SYNTHETIC DEMO DATA")
    for sec in result["sections"]:
        facts = ", ".join(f"{k}={v}" for k, v in sec["facts"].items() if not isinstance(v, (list, dict)))
        typer.echo(f"[{sec['id']}] {sec[lang]}: {facts}")
        for m in sec["missing"]:
            typer.echo(f"    ! {m[lang]}")


@app.command("portfolios")
def portfolios_cmd(
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Date of the check (default today).")] = None,
    region: Annotated[Optional[str], typer.Option(help="Region (default: home region).")] = None,
    check: Annotated[Optional[str], typer.Option(help="Show the full check of one portfolio (item id).")] = None,
    db: DbOption = None,
) -> None:
    """High-value portfolios: the ledger with each check (≥50 valid inventions, ≥10 PCT), or one in full."""
    from ipobs.analytics.patent_set import PatentSetError
    from ipobs.analytics.portfolios import check_portfolio, portfolio_ledger
    from ipobs.records.dates import date_or_today

    try:
        with open_store(db, read_only=True) as store:
            if check:
                checked = check_portfolio(store, item_id=check, as_of=date_or_today(as_of))
                typer.echo(json.dumps(checked, ensure_ascii=False, indent=1, default=str))
                return
            df = portfolio_ledger(store, date_or_today(as_of), region)
    except (PatentSetError, ValueError, KeyError) as e:
        fail(str(e).strip("'\""))
    cols = ["item_id", "name", "members", "valid_inventions", "pct_applications", "meets"]
    typer.echo(df[cols].to_string(index=False) if len(df) else "no high-value portfolios in the ledger")


@app.command("template")
def template_cmd(
    kind: Annotated[str, typer.Argument(help="Ledger kind (cases, pledges, programs, trademarks …) or 'all'.")],
    output: Annotated[Optional[Path], typer.Option("-o", "--output",
                                                   help="File to write (.xlsx); a folder for 'all'.")] = None,
    program: Annotated[Optional[str], typer.Option("--program", help="Fix the programme of a programs ledger "
                                                                     "(training, hv_portfolio …).")] = None,
) -> None:
    """Write a blank ledger template (Excel, generated from the data model) to fill and import."""
    from ipobs.sources.templates import ledger_kinds, write_all, write_template

    if kind == "all":
        written = write_all(output or Path("templates"))
        typer.echo(f"{len(written)} templates written to {(output or Path('templates'))}")
        return
    if kind not in ledger_kinds():
        fail(f"no ledger template for {kind!r}; choose one of: {', '.join(ledger_kinds())}, all")
    target = output or Path(f"{kind}-{program}.xlsx" if program else f"{kind}.xlsx")
    try:
        path = write_template(kind, target, program=program)
    except ValueError as e:
        fail(str(e))
    typer.echo(f"{path}: template for {kind}{f' ({program})' if program else ''} — fill it from row 3, then "
               f"`ipobs import {path.name}`")


# ---------------------------------------------------------------- monitoring
AsOfOption = Annotated[Optional[str], typer.Option("--as-of", help="Date YYYY-MM-DD (default: the latest 31 December in the data).")]
RegionOption = Annotated[Optional[str], typer.Option("--region", help="Region code (default: the plan's region), e.g. 120116Z6.")]
IndustryOption = Annotated[Optional[str], typer.Option("--industry", help="Plan industry id, e.g. nev.")]
OutOption = Annotated[Optional[Path], typer.Option("-o", "--output", help="Write to this file instead of the terminal.")]


def _emit(text: str, out: Optional[Path]) -> None:
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"{out}: written")


def _open_existing(db):
    from ipobs.store.db import resolve_db_path

    path = resolve_db_path(db)
    if not path.exists():
        fail(f"{path}: no such database; build one with `ipobs demo --db {path}` or `ipobs init`")
    return open_store(path, read_only=True)


@app.command("monitor")
def monitor_cmd(
    db: DbOption = None, as_of: AsOfOption = None, region: RegionOption = None, industry: IndustryOption = None,
    plan: Annotated[str, typer.Option("--plan", help="A shipped plan name or a plan file.")] = "binhai-2019",
    fmt: Annotated[str, typer.Option("--format", help="table, json, csv or xlsx.")] = "table",
    out: OutOption = None,
) -> None:
    """Each target's value, target, gap and status (met / on track / at risk / off track / no data), why."""
    from ipobs.monitor import evaluate
    from ipobs.monitor.render import status_rows, status_table, to_csv, write_xlsx
    from ipobs.monitor.service import default_as_of
    from ipobs.plan import PlanError, load_plan

    _check_format(fmt, ("table", "json", "csv", "xlsx"))
    if fmt == "xlsx" and out is None:
        fail("--format xlsx needs -o FILE.xlsx")
    try:
        p = load_plan(plan)
    except (PlanError, KeyError, FileNotFoundError) as exc:
        fail(str(exc))
    with _open_existing(db) as store:
        try:
            statuses = [s.to_dict() for s in evaluate(store, p, default_as_of(store, as_of), region, industry)]
        except (ValueError, KeyError) as exc:
            fail(str(exc).strip("'\""))
        synthetic = store.synthetic
    if fmt == "json":
        _emit(json.dumps(statuses, ensure_ascii=False, indent=1), out)
    elif fmt == "csv":
        _emit(to_csv(status_rows(statuses)), out)
    elif fmt == "xlsx":
        write_xlsx(status_rows(statuses), out, title="监测 monitoring", synthetic=synthetic)
        typer.echo(f"{out}: {len(statuses)} targets written")
    else:
        colour = (lambda text, st: typer.style(text, fg=COLOUR_OF.get(st))) if out is None else None
        _emit(status_table(statuses, synthetic=synthetic, colour=colour), out)


COLOUR_OF = {"met": "green", "on_track": "cyan", "at_risk": "yellow", "off_track": "red", "no_data": "bright_black"}


@app.command("forecast")
def forecast_cmd(
    indicator: Annotated[str, typer.Argument(help="Indicator id (see `ipobs indicators list`).")],
    db: DbOption = None, region: RegionOption = None, industry: IndustryOption = None, as_of: AsOfOption = None,
    to: Annotated[Optional[int], typer.Option("--to", help="Last year to forecast (default: three years on).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table", out: OutOption = None,
) -> None:
    """An indicator's yearly series with its forecast and 80% / 95% intervals."""
    from ipobs.monitor.render import forecast_table
    from ipobs.monitor.service import forecast_indicator

    _check_format(fmt, ("table", "json"))
    with _open_existing(db) as store:
        try:
            f = forecast_indicator(store, indicator, to_year=to, as_of=as_of, region=region, industry=industry)
        except (ValueError, KeyError) as exc:
            fail(str(exc).strip("'\""))
    _emit(json.dumps(f, ensure_ascii=False, indent=1) if fmt == "json" else forecast_table(f), out)


@app.command("backtest")
def backtest_cmd(
    db: DbOption = None,
    series: Annotated[Optional[Path], typer.Option("--series", help="CSV with columns indicator, region, year, value (instead of the store).")] = None,
    origin: Annotated[Optional[list[int]], typer.Option("--origin", help="Forecast origin year (repeatable; default: every year with enough history).")] = None,
    plan: Annotated[str, typer.Option("--plan", help="Plan whose target series are backtested (store mode).")] = "binhai-2019",
    region: RegionOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table", out: OutOption = None,
) -> None:
    """Rolling-origin backtest: fit up to year Y, forecast Y+1..Y+3, errors against naive baselines."""
    from ipobs.monitor.backtest import SeriesFileError, backtest_file, backtest_store, summarize
    from ipobs.monitor.render import backtest_table
    from ipobs.plan import PlanError, load_plan

    _check_format(fmt, ("table", "json"))
    try:
        if series is not None:
            rows = backtest_file(series, origins=origin)
        else:
            p = load_plan(plan)
            with _open_existing(db) as store:
                rows = backtest_store(store, p, region=region, origins=origin)
    except SeriesFileError as exc:
        fail(str(exc))
    except (PlanError, ValueError, KeyError) as exc:
        fail(str(exc).strip("'\""))
    if fmt == "json":
        _emit(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=1), out)
    else:
        _emit(backtest_table(summarize(rows)), out)


# ---------------------------------------------------------------- web
HostOption = Annotated[str, typer.Option("--host", help="Address to listen on (127.0.0.1: this machine only).")]
PortOption = Annotated[int, typer.Option("--port", help="TCP port.")]
ReadOnlyOption = Annotated[bool, typer.Option("--read-only", help="Serve the store read-only (no imports or edits).")]


def _web_settings(db, read_only: bool):
    from ipobs.web.settings import WebSettings

    settings = WebSettings.load(db, read_only=read_only or None)
    if not settings.db.exists():
        fail(f"{settings.db}: no such database; build one with `ipobs demo --db {settings.db}` or `ipobs init`")
    return settings


@app.command()
def serve(db: DbOption = None, host: HostOption = "127.0.0.1", port: PortOption = 8000,
          read_only: ReadOnlyOption = False) -> None:
    """Serve the web app (dashboard, pages and JSON API) until interrupted."""
    from ipobs.web.serve import serve as run_server

    settings = _web_settings(db, read_only)
    typer.echo(f"IP Observatory: http://{host}:{port}/  (accounts: {settings.accounts_path})")
    run_server(settings, host, port)


@app.command()
def run(db: DbOption = None, host: HostOption = "127.0.0.1", port: PortOption = 8000,
        read_only: ReadOnlyOption = False) -> None:
    """Serve the dashboard and print its URL and the administrator login (created on first run)."""
    from ipobs.web.serve import PASSWORD_ENV, ensure_admin
    from ipobs.web.serve import serve as run_server

    settings = _web_settings(db, read_only)
    login = ensure_admin(settings)
    if login.password:
        how = f"password {login.password} (shown once; set {PASSWORD_ENV} to choose your own)"
    elif login.source == "env":
        how = f"the password in {PASSWORD_ENV}"
    else:
        how = f"the password printed on the first run, or set {PASSWORD_ENV} and run again to reset it"
    typer.echo(f"IP Observatory: http://{host}:{port}/  (login: {login.name} / {how})")
    run_server(settings, host, port, log_level="warning")


user_app = typer.Typer(help="Web accounts: add and list (roles: admin, officer, analyst, public).",
                       no_args_is_help=True)
app.add_typer(user_app, name="user")


@user_app.command("add")
def user_add(
    name: str,
    role: Annotated[str, typer.Option("--role", help="admin, officer, analyst or public.")],
    department: Annotated[Optional[str], typer.Option("--department", help="Officers: a department id of the plan.")] = None,
    password: Annotated[Optional[str], typer.Option("--password", help="Prompted for when not given.")] = None,
    db: DbOption = None,
) -> None:
    """Add a web account (accounts live in <db>.accounts.sqlite next to the database)."""
    from ipobs.web.accounts import AccountError, Accounts
    from ipobs.web.settings import WebSettings

    settings = WebSettings.load(db)
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    departments = None
    if role == "officer":
        try:
            from ipobs.plan import load_plan

            departments = load_plan().departments
        except Exception as e:  # noqa: BLE001 - the plan is optional for account management
            typer.echo(f"warning: department not checked against the plan ({e})", err=True)
    accounts = Accounts(settings.accounts_path)
    try:
        user = accounts.add(name, role, password, department=department, created_by="ipobs user add",
                            departments=departments)
        accounts.audit(user, "account_add", user.name, {"role": user.role, "department": user.department,
                                                        "via": "cli"})
    except AccountError as e:
        fail(str(e))
    finally:
        accounts.close()
    typer.echo(f"{user.name}: {user.role}{f' of {user.department}' if user.department else ''} "
               f"({settings.accounts_path})")


@user_app.command("list")
def user_list(db: DbOption = None) -> None:
    """List web accounts with role and department."""
    from ipobs.web.accounts import Accounts
    from ipobs.web.settings import WebSettings

    accounts = Accounts(WebSettings.load(db).accounts_path)
    try:
        for a in accounts.list():
            typer.echo(f"{a['name']:20s} {a['role']:8s} {a['department'] or '':24s} "
                       f"{'active' if a['active'] else 'disabled'}")
    finally:
        accounts.close()


# ------------------------------------------------------------- protection (docket, credit)
docket_app = typer.Typer(help="The case docket: statutory deadlines, overdue and due-soon cases, limits.",
                         invoke_without_command=True)
app.add_typer(docket_app, name="docket")
credit_app = typer.Typer(help="The dishonest-entity list: checks before a pledge, subsidy or award.",
                         no_args_is_help=True)
app.add_typer(credit_app, name="credit")


def _date_opt(text: Optional[str]):
    import datetime as dt

    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"--as-of {text!r} is not a date YYYY-MM-DD")


@docket_app.callback()
def docket_cmd(
    ctx: typer.Context,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only open cases past their deadline.")] = False,
    due_within: Annotated[Optional[int], typer.Option("--due-within", help="Only open cases due within N days.")] = None,
    department: Annotated[Optional[str], typer.Option("--department", help="Handling department.")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", help="Case kind code.")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Date YYYY-MM-DD (default today).")] = None,
    limit: Annotated[int, typer.Option(help="Cases to show.")] = 100,
    limits_file: Annotated[Optional[Path], typer.Option("--limits", help="YAML overriding time limits.")] = None,
    fmt: FormatOption = "table",
    db: DbOption = None,
) -> None:
    """Cases overdue first, with deadlines from the limits, extensions and suspensions."""
    if ctx.invoked_subcommand is not None:
        return
    from ipobs.protection import LimitsError, docket, load_limits
    from ipobs.protection.text import docket_text

    _check_format(fmt, ("table", "json"))
    try:
        lim = load_limits(limits_file)
        with open_store(db, read_only=True) as store:
            df, total = docket(store, _date_opt(as_of), overdue=overdue, due_within=due_within,
                               department=department, kind=kind, limit=limit, limits=lim)
            typer.echo(docket_text(df, total, fmt, synthetic=store.synthetic))
    except (LimitsError, ValueError, KeyError) as e:
        fail(str(e))


@docket_app.command("limits")
def docket_limits(limits_file: Annotated[Optional[Path], typer.Option("--limits", help="YAML overriding limits.")]
                  = None, fmt: FormatOption = "table") -> None:
    """The statutory time limit per case kind and its legal source."""
    from ipobs.protection import LimitsError, load_limits
    from ipobs.protection.text import limits_text

    _check_format(fmt, ("table", "json"))
    try:
        typer.echo(limits_text(load_limits(limits_file), fmt))
    except LimitsError as e:
        fail(str(e))


@credit_app.command("check")
def credit_check(
    name: str,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Date YYYY-MM-DD (default today).")] = None,
    purpose: Annotated[str, typer.Option("--purpose", help="pledge, subsidy or award.")] = "pledge",
    fmt: FormatOption = "table",
    db: DbOption = None,
) -> None:
    """Exit 0 when NAME (or USCC) is clear, 1 when listed (the entries are printed)."""
    from ipobs.protection import check
    from ipobs.protection.text import credit_text

    _check_format(fmt, ("table", "json"))
    try:
        with open_store(db, read_only=True) as store:
            result = check(store, name, _date_opt(as_of), purpose)
    except ValueError as e:
        fail(str(e))
    typer.echo(credit_text(result, fmt))
    raise typer.Exit(1 if result.listed else 0)


@credit_app.command("list")
def credit_list(
    public: Annotated[bool, typer.Option("--public", help="Only what the public may see.")] = False,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Date YYYY-MM-DD (default today).")] = None,
    fmt: FormatOption = "table",
    db: DbOption = None,
) -> None:
    """Entries in force at the date (internal view, or the public view with --public)."""
    from ipobs.protection import entries
    from ipobs.protection.text import entries_text

    _check_format(fmt, ("table", "json"))
    with open_store(db, read_only=True) as store:
        typer.echo(entries_text(entries(store, _date_opt(as_of), public=public), fmt))


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
