"""QC configuration: SLA rule parameters, passive-service limits, alert thresholds.

Loaded from a YAML/JSON file (``csguard qc --config thresholds.yaml``); a bad value fails
with the file and the dotted field name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from csguard.errors import ConfigError
from csguard.qc.alerts import AlertThresholds
from csguard.qc.inspect import PassiveConfig
from csguard.qc.sla import SlaConfig


class QcConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sla: SlaConfig = Field(default_factory=SlaConfig)
    passive: PassiveConfig = Field(default_factory=PassiveConfig)
    alerts: AlertThresholds = Field(default_factory=AlertThresholds)
    custom_words: list[str] = Field(default_factory=list, description="Extra words passed to Guard.")
    allow_words: list[str] = Field(default_factory=list, description="Words Guard must not flag.")


def parse_config(raw: dict[str, Any] | None, *, source: str = "config") -> QcConfig:
    try:
        return QcConfig.model_validate(raw or {})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise ConfigError(
            f"{source}: {field}: {first['msg']}", details={"file": source, "field": field}
        ) from None


def load_config(path: str | Path) -> QcConfig:
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read QC config {path}: {exc}", details={"file": str(path)}) from exc
    if raw is not None and not isinstance(raw, dict):
        raise ConfigError(f"QC config {path} must hold a mapping", details={"file": str(path)})
    return parse_config(raw, source=str(path))
