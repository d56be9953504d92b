"""The learned second opinion inside Guard.check / Guard.triage and the check command."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import csguard.cli.check  # noqa: F401  (registers the commands on the app)
from csguard import Guard
from csguard.cli import app
from csguard.model import RULE_PREFIX
from csguard.vocab import ABUSIVE_LANGUAGE, EXTORTION, SUPERSTITION

# Wording no rule lists: the model is what sees these.
INSULT = "宝子你这种人不配在我们家买东西呀"
OMEN = "朋友摆件放在东南方，正财偏财都来"
BUYER_THREAT = "在吗 不赔钱我就天天打你们客服电话"
CLEAN = "亲，今天下午就发货哦"

runner = CliRunner()


@pytest.fixture(scope="module")
def guard() -> Guard:
    return Guard(platform="pdd")


@pytest.fixture(scope="module")
def rules_only() -> Guard:
    return Guard(platform="pdd", model=False)


def test_model_alone_warns_with_its_score_and_a_chinese_explanation(guard: Guard, rules_only: Guard) -> None:
    assert rules_only.check(INSULT).verdict == "allow"
    result = guard.check(INSULT)
    assert result.verdict == "warn"
    (finding,) = result.findings
    assert finding.rule_id == RULE_PREFIX + ABUSIVE_LANGUAGE
    assert finding.category == ABUSIVE_LANGUAGE
    assert finding.severity == "medium"
    assert finding.score is not None and 0.5 <= finding.score < 1.0
    assert (finding.start, finding.end, finding.matched) == (0, len(INSULT), INSULT)
    assert finding.explanation.startswith("模型判断这句话很可能属于辱骂/不文明用语（置信度 0.")
    assert "没有命中具体规则" in finding.explanation
    assert result.rewrite == INSULT  # no compliant wording to offer for a whole message


def test_model_blocks_only_above_its_block_threshold(guard: Guard, rules_only: Guard) -> None:
    assert rules_only.check(OMEN).verdict == "allow"
    result = guard.check(OMEN)
    assert result.verdict == "block"
    (finding,) = result.findings
    assert finding.rule_id == RULE_PREFIX + SUPERSTITION and finding.severity == "high"
    assert finding.score is not None and finding.score >= 0.99


def test_rules_finding_a_category_leaves_the_model_out_of_it(guard: Guard) -> None:
    result = guard.check("你是不是傻逼啊")
    assert result.findings
    assert all(f.score is None and not f.rule_id.startswith(RULE_PREFIX) for f in result.findings)


def test_clean_message_stays_clean(guard: Guard) -> None:
    assert guard.check(CLEAN).verdict == "allow"
    assert guard.check("528690173109").verdict == "allow"  # nothing for the model to read: it abstains


def test_batch_and_single_checks_agree_with_the_model_on(guard: Guard) -> None:
    texts = [INSULT, OMEN, CLEAN, "加我微信abc123详聊", "你是不是傻逼啊"]
    assert [r.to_dict() for r in guard.check_batch(texts)] == [guard.check(t).to_dict() for t in texts]


def test_triage_escalates_on_the_model_alone_above_its_threshold(guard: Guard, rules_only: Guard) -> None:
    result = guard.triage(BUYER_THREAT)
    assert result.escalate and EXTORTION in result.signals
    assert any(f.rule_id == RULE_PREFIX + EXTORTION and f.score for f in result.findings)
    assert not any(f.rule_id.startswith(RULE_PREFIX) for f in rules_only.triage(BUYER_THREAT).findings)
    assert guard.triage_batch([BUYER_THREAT])[0].to_dict() == result.to_dict()


def test_guard_reports_whether_the_model_is_on(guard: Guard, rules_only: Guard) -> None:
    assert guard.model_enabled and not rules_only.model_enabled


def test_check_explain_names_the_model_and_its_score() -> None:
    result = runner.invoke(app, ["check", INSULT, "--explain", "--json"])
    assert result.exit_code == 1, result.output
    payload = json.loads(result.stdout)
    assert payload["findings"][0]["rule_id"] == "model.abusive_language"
    assert payload["explain"][0].startswith("模型 model.abusive_language：置信度 0.")


def test_check_explain_names_the_rule_and_its_words() -> None:
    result = runner.invoke(app, ["check", "加我微信abc123详聊", "--explain"])
    assert result.exit_code == 2, result.output
    assert "判断依据" in result.stdout
    assert "规则 offsite.add_contact：命中“加我微信”" in result.stdout


def test_check_no_model_turns_the_model_off() -> None:
    assert runner.invoke(app, ["check", INSULT, "--no-model"]).exit_code == 0
    assert runner.invoke(app, ["check", INSULT]).exit_code == 1


def test_batch_explain_adds_one_line_per_finding(tmp_path: object) -> None:
    from pathlib import Path

    source = Path(str(tmp_path)) / "in.jsonl"
    source.write_text(json.dumps({"id": 1, "text": INSULT}, ensure_ascii=False) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["check", "--input", str(source), "--explain"])
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout.strip().splitlines()[0])
    assert row["explain"] == [line for line in row["explain"] if line.startswith("模型 model.")]
    assert len(row["explain"]) == len(row["findings"]) == 1


def test_guard_gives_the_same_results_with_the_python_scorer(guard: Guard, monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    import csguard.model.scorer as scorer
    from csguard.model import Model
    from csguard.model.loader import WEIGHTS_FILE, decode

    blob = (Path(scorer.__file__).parent / WEIGHTS_FILE).read_bytes()
    monkeypatch.setattr(scorer, "NATIVE", None)
    _, tables = decode(blob)
    assert not tables["outbound"].native
    python_guard = Guard(platform="pdd")
    python_guard._model = Model(tables["outbound"], tables["inbound"])
    python_guard._model_gate = python_guard._model.outbound.gate
    corpus = Path(__file__).resolve().parents[2] / "training" / "corpus" / "outbound" / "corpus.jsonl"
    texts = [INSULT, OMEN, CLEAN, BUYER_THREAT]
    if corpus.exists():
        texts += [json.loads(line)["text"] for line in corpus.read_text(encoding="utf-8").splitlines()[:400]]
    for text in texts:
        assert python_guard.check(text).to_dict() == guard.check(text).to_dict(), text
        assert python_guard.triage(text).to_dict() == guard.triage(text).to_dict(), text
