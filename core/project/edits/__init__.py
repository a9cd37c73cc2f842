"""Edits as reversible operations (core.project.operation), by what they change:

- tree: scenarios and sites (add, copy, variant, rename, move, delete, detach, notes);
- fields: one field by path (SetField, UnsetField), a whole document (ReplaceDocument),
  each checked by the engine first, with its message;
- planning: the builder's edits with a domain rule (AddDeployment, AddPowerSource,
  RemoveRow, ReplacePowerSource, SetWorkloadKind);
- catalogue: the planner's own components;
- analyses: uncertain inputs and stored analyses;
- project_info: title and notes;
- importing: scenario files as one step.

The undo history is core.project.history (``Project.history``); the desktop app uses
the same one. Scenarios are referred to by id (stable across undo/redo, since deleted
rows come back with their ids) or by name at construction time.
"""
from aisite.core.project.edits.analyses import (
    AddAnalysis,
    EditAnalysis,
    RemoveAnalysis,
    RemoveUncertainInput,
    SetUncertainInput,
    check_distribution,
)
from aisite.core.project.edits.catalogue import AddCatalogueEntry, EditCatalogueEntry, RemoveCatalogueEntry
from aisite.core.project.edits.common import PROTECTED_PATHS, unique_name
from aisite.core.project.edits.fields import (
    ReplaceDocument,
    SetField,
    UnsetField,
    check_document,
    check_edit,
    edited_document,
    project_catalogue,
)
from aisite.core.project.edits.importing import import_documents, validate_documents
from aisite.core.project.edits.planning import (
    AddDeployment,
    AddPowerSource,
    RemoveRow,
    ReplacePowerSource,
    SetWorkloadKind,
)
from aisite.core.project.edits.project_info import SetProjectInfo
from aisite.core.project.edits.tree import (
    AddScenario,
    AddSite,
    DeleteScenario,
    DeleteSite,
    DetachVariant,
    DuplicateAsVariant,
    DuplicateScenario,
    MoveScenario,
    RenameScenario,
    RenameSite,
    SetScenarioNotes,
)
from aisite.core.project.history import UndoHistory
from aisite.core.project.operation import Compound, Effects, Operation

__all__ = [
    "AddAnalysis", "AddCatalogueEntry", "AddDeployment", "AddPowerSource", "AddScenario", "AddSite",
    "Compound", "DeleteScenario", "DeleteSite", "DetachVariant", "DuplicateAsVariant", "DuplicateScenario",
    "EditAnalysis", "EditCatalogueEntry", "Effects", "MoveScenario", "Operation", "PROTECTED_PATHS",
    "RemoveAnalysis", "RemoveCatalogueEntry", "RemoveRow", "RemoveUncertainInput", "RenameScenario",
    "RenameSite", "ReplaceDocument", "ReplacePowerSource", "SetField",
    "SetProjectInfo", "SetScenarioNotes", "SetUncertainInput", "SetWorkloadKind", "UndoHistory", "UnsetField",
    "check_distribution", "check_document", "check_edit", "edited_document", "import_documents",
    "project_catalogue", "unique_name", "validate_documents",
]
