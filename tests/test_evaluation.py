"""The coder on the labelled evaluation set (tests/eval_articles): recall and precision of dated actions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml

from titfortat.text.evaluation import GoldAction, agreement, evaluate, load_gold, main, score

EVAL = Path(__file__).resolve().parent / "eval_articles"


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return evaluate(EVAL)


def test_evaluation_set_is_big_enough() -> None:
    gold, tags = load_gold(EVAL / "gold.yaml")
    assert len(tags) >= 15 and len(gold) >= 40
    assert {p.name for p in EVAL.glob("r*.txt")} == set(tags)


def test_recall_and_precision_of_dated_actions(result, capsys) -> None:  # type: ignore[no-untyped-def]
    with capsys.disabled():
        print("\n" + result.summary())
    assert result.recall >= 0.85, result.gold[~result.gold.found].to_string()
    assert result.precision >= 0.85, result.false_positives.to_string()


def test_every_construction_is_scored(result) -> None:  # type: ignore[no-untyped-def]
    t = result.table.set_index("construction")
    for c in ("undated_lead", "dateline_us", "part_of_day", "report_date", "passive_location", "in_response",
              "background", "merged_mentions", "negation", "future"):
        assert c in t.index
        assert t.loc[c, "n_pred"] > 0


def _items(rows: list[dict]) -> pd.DataFrame:
    base = {"negated": False, "hedged": False, "date_precision": "day", "date_margin_days": 0}
    return pd.DataFrame([{**base, **r} for r in rows])


def test_score_matching_rules() -> None:
    gold = [GoldAction("a", "DPRK", ("missile_launch",), date(2024, 1, 2), date(2024, 1, 2), ("x",)),
            GoldAction("a", "ALLIANCE", ("joint_exercise",), date(2024, 1, 1), date(2024, 1, 5), ("y",))]
    tags = {"a": ("x", "y")}
    items = _items([
        {"report": "a", "side": "DPRK", "action": "missile_launch", "start": date(2024, 1, 3), "date_margin_days": 1},
        {"report": "a", "side": "DPRK", "action": "missile_launch", "start": date(2024, 1, 2)},   # exact first
        {"report": "a", "side": "ALLIANCE", "action": "joint_exercise", "start": date(2024, 1, 4)},  # inside span
        {"report": "a", "side": "DPRK", "action": "missile_launch", "start": date(2024, 1, 9), "negated": True},
        {"report": "a", "side": "DPRK", "action": "missile_launch", "start": date(2024, 1, 1),
         "date_precision": "period"},
    ])
    r = score(items, gold, tags)
    assert r.recall == 1.0
    assert r.precision == pytest.approx(2 / 3)  # the uncertain duplicate is a false positive
    assert len(r.false_positives) == 1 and r.false_positives.start.iloc[0] == date(2024, 1, 3)
    wrong_side = _items([{"report": "a", "side": "ALLIANCE", "action": "missile_launch", "start": date(2024, 1, 2)}])
    assert score(wrong_side, gold, tags).recall == 0.0


def test_load_gold_errors(tmp_path: Path) -> None:
    p = tmp_path / "gold.yaml"
    p.write_text("reports:\n  a.txt:\n    actions:\n      - {side: DPRK, date: 2024-01-02}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"a.txt action 1: missing 'action'"):
        load_gold(p)


def test_the_real_page_manifest_holds_no_text_and_valid_gold(tmp_path: Path) -> None:
    """tests/eval_articles/real_pages.yaml: addresses and gold of the real pages scored (their text is not held)."""
    import yaml

    from titfortat.events.schema import load_codebook

    manifest = yaml.safe_load((Path(__file__).parent / "eval_articles" / "real_pages.yaml").read_text(encoding="utf-8"))
    book = load_codebook()
    sides = {"DPRK", "ALLIANCE", "OTHER"}
    n_reports = 0
    for name, spec in manifest["sets"].items():
        for report, r in spec["reports"].items():
            n_reports += 1
            assert set(r) == {"outlet", "url", "published", "constructions", "actions"}, (name, report)
            assert r["url"].startswith(("http://", "https://")), (name, report)
            for a in r["actions"]:
                acts = a["action"] if isinstance(a["action"], list) else [a["action"]]
                assert a["side"] in sides and all(x in book.actions for x in acts), (name, report, a)
        gold_file = tmp_path / f"{name}.yaml"
        gold_file.write_text(yaml.safe_dump({"reports": {k: {"constructions": v["constructions"], "actions": v["actions"]}
                                                         for k, v in spec["reports"].items()}}), encoding="utf-8")
        gold, tags = load_gold(gold_file)
        assert len(tags) == len(spec["reports"]) and gold
    assert n_reports >= 100


def _write_manifest(tmp_path: Path) -> Path:
    manifest = {"version": 1, "sets": {"demo": {"note": "two pages", "reports": {
        "a.txt": {"outlet": "X", "url": "https://example.org/a", "published": "2024-03-08", "constructions": [],
                  "actions": [{"side": "DPRK", "action": "missile_launch", "date": "2024-03-08"}]},
        "b.txt": {"outlet": "X", "url": "https://example.org/b", "published": "2024-03-08", "constructions": [],
                  "actions": [{"side": "ALLIANCE", "action": "joint_exercise", "date": "2024-03-04"}]}}}}}
    path = tmp_path / "manifest.yaml"
    path.write_text(yaml.safe_dump(manifest), encoding="utf-8")
    return path


def test_a_set_of_a_manifest_scores_pages_found_by_name_or_stem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from titfortat.text.evaluation import evaluate, main

    manifest = _write_manifest(tmp_path)
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text("---\npublished: 2024-03-08\n---\nSEOUL (AP) \u2014 North Korea fired a ballistic "
                                 "missile on Friday, the military said.\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"not in the folder \(1\): b.txt"):
        evaluate(pages, manifest, set_name="demo")
    result = evaluate(pages, manifest, set_name="demo", allow_missing=True)
    assert (result.recall, result.precision) == (1.0, 1.0)
    assert result.notes == [f"1 of 2 gold reports are not in {pages} and were left out"]
    # a page saved under another suffix is found by its stem
    (pages / "b.md").write_text("---\npublished: 2024-03-08\n---\nSouth Korea and the United States began joint "
                                "drills on Monday.\n", encoding="utf-8")
    assert evaluate(pages, manifest, set_name="demo").recall == 1.0
    with pytest.raises(ValueError, match="name one of them"):
        evaluate(pages, manifest)
    assert main([str(pages), "--gold", str(manifest), "--set", "demo", "--list"]) == 0
    out = capsys.readouterr().out
    assert "2 reports, 2 gold dated actions" in out and "missed gold actions:\n(none)" in out
    assert main([str(pages), "--gold", str(manifest), "--set", "nope"]) == 2
    assert "'nope' is not one" in capsys.readouterr().out


def _g(report: str, side: str, action: str | tuple[str, ...], day: str, end: str | None = None) -> GoldAction:
    acts = (action,) if isinstance(action, str) else action
    return GoldAction(report, side, acts, date.fromisoformat(day), date.fromisoformat(end or day))


def test_agreement_of_two_labellings_pairs_actions_one_to_one() -> None:
    first = [_g("a", "DPRK", "missile_launch", "2024-03-08"), _g("a", "DPRK", "missile_launch", "2024-03-10"),
             _g("b", "ALLIANCE", ("joint_exercise", "military_drill"), "2024-03-04", "2024-03-14"),
             _g("b", "OTHER", "summit", "2024-03-05")]
    second = [_g("a", "DPRK", "missile_launch", "2024-03-09"), _g("a", "DPRK", "missile_launch", "2024-03-08"),
              _g("b", "ALLIANCE", "military_drill", "2024-03-06"), _g("b", "DPRK", "summit", "2024-03-05"),
              _g("b", "OTHER", "summit", "2024-03-05")]
    exact = agreement(first, second)
    # the exact pair of March 8 first, the drill inside the exercise's span, the summit of the same side
    assert (exact.n_first, exact.n_second, exact.matched) == (4, 5, 3)
    assert list(exact.only_first["date"].astype(str)) == ["2024-03-10"]
    assert sorted(exact.only_second["date"].astype(str)) == ["2024-03-05", "2024-03-09"]
    near = agreement(first, second, margin_days=1)  # March 10 and March 9 now pair
    assert near.matched == 4 and near.first_found == 1.0 and near.second_found == 0.8
    assert near.to_dict()["matched"] == 4 and "matched 4" in near.summary()
    assert agreement(second, first).matched == 3  # symmetric counts
    with pytest.raises(ValueError, match="margin_days"):
        agreement(first, second, margin_days=-1)


def test_agreement_cli_reads_two_sets_of_a_manifest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write_manifest(tmp_path)
    manifest = yaml.safe_load(path.read_text(encoding="utf-8"))
    second = yaml.safe_load(yaml.safe_dump(manifest["sets"]["demo"]))
    second["reports"]["b.txt"]["actions"] = []
    manifest["sets"]["demo2"] = second
    manifest["sets"]["other"] = {"note": "", "reports": {"c.txt": manifest["sets"]["demo"]["reports"]["a.txt"]}}
    path.write_text(yaml.safe_dump(manifest), encoding="utf-8")
    assert main(["--gold", str(path), "--agreement", "demo", "demo2", "--list"]) == 0
    out = capsys.readouterr().out
    assert "first 2, second 1, matched 1" in out and "joint_exercise" in out
    assert main(["--gold", str(path), "--agreement", "demo", "other"]) == 2
    assert "label different reports" in capsys.readouterr().out
    assert main(["--agreement", "demo", "demo2"]) == 2
    assert main([]) == 2


def test_the_second_labellings_in_the_manifest_agree_as_the_readme_says() -> None:
    """README: a second blind labeller reproduced 50 of 51 gold actions on each of sets 11 and 12."""
    path = EVAL / "real_pages.yaml"
    for name in ("real11", "real12"):
        first, first_reports = load_gold(path, name)
        second, second_reports = load_gold(path, f"{name}_second")
        assert set(first_reports) == set(second_reports)
        agreed = agreement(first, second)
        assert (agreed.n_first, agreed.matched) == (51, 50), (name, agreed.summary())
