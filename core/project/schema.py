"""The .aisite file format, version 2: SQLAlchemy 2 typed ORM mappings.

One SQLite file per project. What is in it:

==================  =========================================================
project_meta        one row: format tag, schema version, the app version that
                    created it and that last wrote it, created/modified times,
                    title and notes
catalogue_entries   the planner's own components (chips, servers, ...), each a
                    JSON object with an "id"; they add to or override the
                    shipped catalogue by id
sites               named groups of scenarios in the project tree
scenarios           the scenario tree: a base scenario stores its whole
                    ``aisite.scenario/1`` document; a variant stores its parent
                    and a JSON object of overrides ``{"power[1].mw": 300}``
uncertain_inputs    distributions over scenario fields, for Monte Carlo and
                    tornado (per scenario, or project-wide when scenario_id is
                    NULL)
analyses            saved analysis definitions (sweep, tornado, ...) as JSON
results             cached results: summary JSON tagged with the hash of the
                    inputs that produced it (stale results are never shown)
result_arrays       the hourly / sample arrays of a result: raw numpy bytes
                    (optionally zlib-compressed) with dtype, shape and sha256
==================  =========================================================

Nothing in a file is executed: JSON text, numbers and raw array bytes only (no
pickle, no eval). The SQLite header carries ``application_id`` = APP_ID and
``user_version`` = schema version, so a file can be recognised (or turned away)
from its first 100 bytes without running SQL on it.

Every row of every table carries ``digest``, a BLAKE2b hash of the row's other
columns (see :func:`row_digest`), checked when the file is opened (content
tables) or when a result is read (result tables). A damaged byte that SQLite
itself cannot notice, inside a name or a number, is caught this way instead of
silently changing a planner's inputs.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any, Optional

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

#: SQLite header application_id: b"AIST" (AI Site planner).
APP_ID = 0x41495354
#: The schema version this code writes. Older files are migrated (migrations.py).
SCHEMA_VERSION = 2
#: The oldest schema version that can be migrated forward.
OLDEST_SUPPORTED_VERSION = 1
#: project_meta.format
FORMAT_TAG = "aisite.project"

CATALOGUE_KINDS = ("chips", "servers", "network", "cooling", "power_sources", "regions")
ANALYSIS_KINDS = ("sweep", "sweep2d", "tornado", "montecarlo", "size", "optimize", "compare")
DISTRIBUTIONS = ("uniform", "triangular", "normal", "lognormal", "pert", "discrete")
ARRAY_CODECS = ("raw", "zlib")


class Base(DeclarativeBase):
    pass


def _kinds_check(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class ProjectMeta(Base):
    __tablename__ = "project_meta"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    format: Mapped[str] = mapped_column(String(32))
    schema_version: Mapped[int]
    created_app_version: Mapped[str] = mapped_column(String(32))
    app_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[str] = mapped_column(String(32))
    modified_at: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    digest: Mapped[str] = mapped_column(String(32))


class CatalogueEntry(Base):
    __tablename__ = "catalogue_entries"
    __table_args__ = (
        UniqueConstraint("kind", "entry_id", name="uq_catalogue_kind_entry"),
        CheckConstraint(_kinds_check("kind", CATALOGUE_KINDS), name="catalogue_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    entry_id: Mapped[str] = mapped_column(Text)
    data: Mapped[str] = mapped_column(Text)  # JSON object, includes "id": entry_id
    position: Mapped[int] = mapped_column(default=0)
    modified_at: Mapped[str] = mapped_column(String(32))
    digest: Mapped[str] = mapped_column(String(32))


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    digest: Mapped[str] = mapped_column(String(32))


class Scenario(Base):
    __tablename__ = "scenarios"
    __table_args__ = (
        CheckConstraint(
            "(parent_id IS NULL AND document IS NOT NULL AND overrides IS NULL) OR "
            "(parent_id IS NOT NULL AND document IS NULL AND overrides IS NOT NULL)",
            name="base_or_variant",
        ),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        Index("ix_scenarios_parent", "parent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    # Deleting a site or a parent is an edit that moves or deletes the rows first
    # (so undo can restore them): the database refuses a dangling reference.
    site_id: Mapped[Optional[int]] = mapped_column(ForeignKey("sites.id"))
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("scenarios.id"))
    document: Mapped[Optional[str]] = mapped_column(Text)  # base: aisite.scenario/1 JSON
    overrides: Mapped[Optional[str]] = mapped_column(Text)  # variant: {"path": value}
    notes: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[str] = mapped_column(String(32))
    modified_at: Mapped[str] = mapped_column(String(32))
    digest: Mapped[str] = mapped_column(String(32))


class UncertainInput(Base):
    __tablename__ = "uncertain_inputs"
    __table_args__ = (
        UniqueConstraint("scenario_id", "path", name="uq_uncertain_scenario_path"),
        CheckConstraint(_kinds_check("distribution", DISTRIBUTIONS), name="distribution_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[Optional[int]] = mapped_column(ForeignKey("scenarios.id"))
    path: Mapped[str] = mapped_column(Text)  # e.g. "power[0].mw", "schedule.grid_connection"
    distribution: Mapped[str] = mapped_column(String(16))
    params: Mapped[str] = mapped_column(Text)  # JSON object, e.g. {"low": 1, "mode": 2, "high": 4}
    label: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    digest: Mapped[str] = mapped_column(String(32))


class Analysis(Base):
    __tablename__ = "analyses"
    __table_args__ = (CheckConstraint(_kinds_check("kind", ANALYSIS_KINDS), name="analysis_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    scenario_id: Mapped[Optional[int]] = mapped_column(ForeignKey("scenarios.id"))
    definition: Mapped[str] = mapped_column(Text)  # JSON object
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[str] = mapped_column(String(32))
    modified_at: Mapped[str] = mapped_column(String(32))
    digest: Mapped[str] = mapped_column(String(32))


class Result(Base):
    """A cached result. A cache: deleted with its owner, never part of undo."""

    __tablename__ = "results"
    __table_args__ = (
        CheckConstraint("(scenario_id IS NULL) <> (analysis_id IS NULL)", name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("scenarios.id", ondelete="CASCADE"), unique=True
    )
    analysis_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("analyses.id", ondelete="CASCADE"), unique=True
    )
    input_hash: Mapped[str] = mapped_column(String(64))
    app_version: Mapped[str] = mapped_column(String(32))
    summary: Mapped[str] = mapped_column(Text)  # JSON object
    computed_at: Mapped[str] = mapped_column(String(32))
    compute_ms: Mapped[Optional[float]]
    digest: Mapped[str] = mapped_column(String(32))


class ResultArray(Base):
    __tablename__ = "result_arrays"
    __table_args__ = (
        UniqueConstraint("result_id", "name", name="uq_result_array_name"),
        CheckConstraint(_kinds_check("codec", ARRAY_CODECS), name="array_codec"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("results.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(Text)
    dtype: Mapped[str] = mapped_column(String(8))  # numpy dtype.str, numeric only: "<f8"
    shape: Mapped[str] = mapped_column(Text)  # JSON list of ints
    codec: Mapped[str] = mapped_column(String(8))  # "raw" or "zlib" (of the raw bytes)
    nbytes: Mapped[int]  # length of the raw (decoded) bytes
    sha256: Mapped[str] = mapped_column(String(64))  # of the raw (decoded) bytes
    data: Mapped[bytes] = mapped_column(LargeBinary)
    digest: Mapped[str] = mapped_column(String(32))  # of every column but data (sha256 covers it)


TABLES = {cls.__tablename__: cls.__table__ for cls in Base.__subclasses__()}
#: Tables whose rows are the planner's work (checked in full when a file opens).
CONTENT_TABLES = ("project_meta", "catalogue_entries", "sites", "scenarios", "uncertain_inputs", "analyses")
#: Tables that are a cache of computed results (checked when read; damage = recompute).
CACHE_TABLES = ("results", "result_arrays")


def digest_columns(table_name: str) -> tuple[str, ...]:
    """The columns a row digest covers, in table order (all but digest; arrays: not data)."""
    skip = {"digest", "data"} if table_name == "result_arrays" else {"digest"}
    return tuple(c.name for c in TABLES[table_name].columns if c.name not in skip)


def row_digest(table_name: str, row: dict[str, Any], columns: tuple[str, ...] | None = None) -> str:
    """BLAKE2b-128 over the canonical JSON of the row's values, in column order.

    Part of the file format: changing this function is a schema version change.
    """
    cols = columns or digest_columns(table_name)
    payload = json.dumps([table_name, [row[c] for c in cols]], ensure_ascii=False,
                         separators=(",", ":"), allow_nan=True)
    return hashlib.blake2b(payload.encode("utf-8"), digest_size=16).hexdigest()
