"""The dashboard's evaluation is computed once per (store generation, date, region) and an import
makes the next request compute it again."""

from __future__ import annotations

import threading

from ipobs.web.cache import Memo
from tests.web.conftest import ledger_file, program_rows


def test_dashboard_is_evaluated_once(clients, web_app):
    memo = web_app.state.web.memo
    first = clients["public"].get("/index.json").json()
    misses = memo.misses
    second = clients["analyst"].get("/index.json").json()
    assert memo.misses == misses
    assert first["areas"] == second["areas"] and first["targets_total"] == 52


def test_a_committed_import_changes_the_generation(fresh_clients, fresh_app, tmp_path):
    web = fresh_app.state.web
    before = web.generation()
    path = ledger_file(tmp_path / "p.xlsx", "programs", "program_item", program_rows("market"))
    r = fresh_clients["officer"].post("/imports", data={"kind": "programs"}, files={"file": (path.name, path.read_bytes())},
                                      headers={"Accept": "application/json"})
    assert r.status_code == 201
    assert web.generation() == r.json()["batch"]["batch_id"] > before
    # the same file again is a duplicate batch: the data did not change, neither does the generation
    again = fresh_clients["officer"].post("/imports", data={"kind": "programs"},
                                          files={"file": (path.name, path.read_bytes())},
                                          headers={"Accept": "application/json"})
    assert again.json()["batch"]["status"] == "duplicate_file"
    assert web.generation() == r.json()["batch"]["batch_id"]


def test_memo_computes_once_under_concurrent_requests():
    memo, calls, gate = Memo(), [], threading.Event()

    def slow():
        calls.append(1)
        gate.wait(2)
        return 42

    threads = [threading.Thread(target=lambda: memo.get("k", slow)) for _ in range(8)]
    for t in threads:
        t.start()
    gate.set()
    for t in threads:
        t.join()
    assert calls == [1] and memo.get("k", slow) == 42


def test_memo_keeps_at_most_its_capacity():
    memo = Memo(capacity=2)
    for k in "abc":
        memo.get(k, lambda k=k: k)
    assert len(memo) == 2 and memo.get("a", lambda: "again") == "again"
