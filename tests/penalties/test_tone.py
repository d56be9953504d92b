"""Tone checker: flags emotional/accusatory phrases and proposes neutral wording."""

from __future__ import annotations

from csguard.penalties.tone import check_tone, neutralize


def test_flags_the_classic_phrases_with_kinds() -> None:
    issues = check_tone("你们乱禁言，我不服！！凭什么？否则我们去12315投诉")
    assert [(i.matched, i.kind) for i in issues] == [
        ("你们乱禁言", "accusatory"),
        ("我不服", "emotional"),
        ("！！", "emotional"),
        ("凭什么", "emotional"),
        ("否则我们去12315投诉", "threat"),
    ]
    text = "你们乱禁言，我不服！！凭什么？否则我们去12315投诉"
    assert all(text[i.start : i.end] == i.matched for i in issues)


def test_neutralize_replaces_every_issue() -> None:
    rewritten = neutralize("你们乱禁言，我不服，凭什么封号")
    # Whole clauses are rewritten: the old phrase splice left "…请问判定依据是什么封号".
    assert rewritten == "我们认为该处罚可能存在误判，我们申请对该处罚进行复核，请问判定依据是什么"
    assert check_tone(rewritten) == []


def test_neutral_appeal_language_is_not_flagged() -> None:
    for text in ["我们认为该处罚可能存在误判，申请复核", "凭证已附上", "恳请平台予以复核"]:
        assert check_tone(text) == [], text


def test_issue_serialises() -> None:
    (issue,) = check_tone("凭什么")
    assert issue.to_dict() == {
        "start": 0,
        "end": 3,
        "matched": "凭什么",
        "kind": "emotional",
        "suggestion": "请问判定依据是什么",
    }
