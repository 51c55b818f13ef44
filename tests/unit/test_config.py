"""Settings are validated when they are made, and name the field that is wrong."""

from __future__ import annotations

import pytest

from pipeline.batch import BatchOptions
from pipeline.config import PipelineConfig
from pipeline.nlp.config import EntityConfig
from pipeline.pdf.chars import CharSpacing
from pipeline.settings import SettingError
from pipeline.stages.layout import BlockConfig, LayoutConfig, VerticalTextConfig
from pipeline.stages.sections import SectionConfig
from pipeline.stages.tables import RulelessConfig, TableConfig


@pytest.mark.parametrize(
    "config_type",
    [PipelineConfig, LayoutConfig, BlockConfig, VerticalTextConfig, SectionConfig, TableConfig, RulelessConfig,
     EntityConfig, CharSpacing, BatchOptions],
)
def test_defaults_are_valid(config_type: type) -> None:
    config_type()


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: LayoutConfig(margin_share=1.5), "LayoutConfig.margin_share"),
        (lambda: LayoutConfig(column_gap=-1.0), "LayoutConfig.column_gap"),
        (lambda: LayoutConfig(paragraph_gap_ratio=0), "LayoutConfig.paragraph_gap_ratio"),
        (lambda: BlockConfig(indent_em=-0.4), "BlockConfig.indent_em"),
        (lambda: VerticalTextConfig(writing_share=2.0), "VerticalTextConfig.writing_share"),
        (lambda: SectionConfig(max_heading_chars=0), "SectionConfig.max_heading_chars"),
        (lambda: TableConfig(min_rows=0), "TableConfig.min_rows"),
        (lambda: TableConfig(kv_filled_share=1.2), "TableConfig.kv_filled_share"),
        (lambda: RulelessConfig(gap_em=0.0), "RulelessConfig.gap_em"),
        (lambda: EntityConfig(batch_size=0), "EntityConfig.batch_size"),
        (lambda: PipelineConfig(max_pages=0), "PipelineConfig.max_pages"),
        (lambda: BatchOptions(jobs=-1), "BatchOptions.jobs"),
        (lambda: CharSpacing(cjk_space_em=float("nan")), "CharSpacing.cjk_space_em"),
    ],
)
def test_a_bad_value_names_its_field(make, field: str) -> None:
    with pytest.raises(SettingError, match=field.replace(".", r"\.")):
        make()


def test_unknown_entity_labels_are_refused() -> None:
    with pytest.raises(SettingError, match="PERSON"):
        EntityConfig(labels=("ORG", "PERSON"))


def test_table_finder_settings_must_be_a_dict() -> None:
    with pytest.raises(SettingError, match="lines_settings"):
        TableConfig(lines_settings="lines")  # type: ignore[arg-type]


def test_the_ruled_table_finder_takes_only_strategies_for_rules() -> None:
    with pytest.raises(SettingError, match="vertical_strategy.*text"):
        TableConfig(lines_settings={"vertical_strategy": "text"})


def test_a_number_is_required_not_a_string() -> None:
    with pytest.raises(SettingError, match="a number"):
        LayoutConfig(column_gap="9")  # type: ignore[arg-type]
