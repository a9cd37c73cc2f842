"""aisite list: what a project holds."""
from __future__ import annotations

import json
import sys

NAME = "list"
HELP = ("Show what a project holds: its sites, scenarios and variants (with what each variant "
        "changes and whether its stored results are up to date), your own catalogue entries, "
        "uncertain inputs and analyses.")


def add_arguments(parser):
    parser.add_argument("project", metavar="PROJECT", help="the project file (.aisite)")
    parser.add_argument("--json", action="store_true", help="print it as one JSON object")


def describe(project) -> dict:
    sites = {s.id: s.name for s in project.sites()}
    scen = project.scenarios()
    names = {s.id: s.name for s in scen}
    holder = project.in_use_by
    return {
        "path": project.path,
        "format": "aisite.project",
        "schema_version": project.migrated_from or project.schema_version,
        "needs_upgrade": project.migrated_from is not None,
        "app_version": project.created_app_version if project.migrated_from else project.app_version,
        "created_app_version": project.created_app_version,
        "created_at": project.created_at,
        "modified_at": project.modified_at,
        "title": project.title,
        "in_use_by": None if holder is None else {
            "pid": holder.pid, "host": holder.host, "user": holder.user, "since": holder.since},
        "sites": [s.name for s in project.sites()],
        "scenarios": [{
            "name": s.name,
            "variant_of": names.get(s.parent_id),
            "site": sites.get(s.site_id),
            "changes": list(project.overrides(s.id)) if s.is_variant else [],
            "result": _status(project, s.id),
            "modified_at": s.modified_at,
        } for s in scen],
        "catalogue": {kind: [r.entry_id for r in rows] for kind, rows in _by_kind(project).items()},
        "uncertain_inputs": [{
            "scenario": names.get(u.scenario_id), "path": u.path, "distribution": u.distribution,
            "params": u.params, "label": u.label} for u in project.uncertain_inputs(all_scenarios=True)],
        "analyses": [{"name": a.name, "kind": a.kind, "scenario": names.get(a.scenario_id)}
                     for a in project.analyses()],
    }


def _status(project, sid) -> str:
    from aisite.core.errors import InputError, ProjectFileError

    try:
        return project.result_status(sid)
    except ProjectFileError:
        return "damaged"
    except InputError:
        if project.scenario(sid).is_variant:
            return "invalid"  # a variant whose overrides no longer fit its parent
        return "damaged"


def _by_kind(project) -> dict:
    out: dict = {}
    for row in project.catalogue_entries():
        out.setdefault(row.kind, []).append(row)
    return out


def _text(info: dict) -> str:
    """The listing for a terminal: every name a planner (or a damaged file) wrote is
    escaped (terminal_safe), so no escape code or newline in a name acts on the terminal."""
    info = _escaped(info)
    lines = []
    title = f" \u2014 {info['title']}" if info["title"] else ""
    lines.append(f"{info['path']}{title}")
    lines.append(f"  file format {info['schema_version']}, last saved by AI Site Planner {info['app_version']} "
                 f"at {info['modified_at'][:16].replace('T', ' ')} UTC")
    if info["needs_upgrade"]:
        lines.append("  from an older version: it is upgraded (after a backup copy) when opened for editing")
    if info["in_use_by"]:
        h = info["in_use_by"]
        lines.append(f"  open for editing elsewhere (user {h['user']}, computer {h['host']}, process {h['pid']})")
    scen = info["scenarios"]
    lines.append("")
    lines.append(f"Scenarios ({len(scen)}):" if scen else "Scenarios: none yet (add some with aisite import)")
    depth: dict[str, int] = {}
    for s in scen:
        d = depth[s["name"]] = depth.get(s["variant_of"], -1) + 1 if s["variant_of"] else 0
        label = ("  " * d) + ("\u2514 " if d else "") + s["name"]
        bits = []
        if s["site"] and not s["variant_of"]:
            bits.append(f"site: {s['site']}")
        if s["variant_of"]:
            changes = ", ".join(s["changes"]) or "nothing yet"
            bits.append(f"changes {changes}")
        bits.append({"fresh": "results stored", "stale": "results out of date", "none": "not evaluated",
                     "damaged": "stored results unreadable (recomputed when evaluated)",
                     "invalid": "PROBLEM: its changes no longer fit its parent"}[s["result"]])
        lines.append(f"  {label}  [{'; '.join(bits)}]")
    if info["catalogue"]:
        lines.append("")
        lines.append("Your catalogue entries:")
        for kind, ids in info["catalogue"].items():
            lines.append(f"  {kind}: {', '.join(ids)}")
    if info["uncertain_inputs"]:
        lines.append("")
        lines.append(f"Uncertain inputs ({len(info['uncertain_inputs'])}):")
        for u in info["uncertain_inputs"]:
            where = u["scenario"] or "all scenarios"
            params = ", ".join(f"{k} {v}" for k, v in u["params"].items())
            lines.append(f"  {u['path']} ({where}): {u['distribution']} {params}")
    if info["analyses"]:
        lines.append("")
        lines.append(f"Analyses ({len(info['analyses'])}):")
        for a in info["analyses"]:
            lines.append(f"  {a['name']} ({a['kind']}" + (f", on {a['scenario']})" if a["scenario"] else ")"))
    return "\n".join(lines) + "\n"


def _escaped(value):
    from aisite.core.validate import terminal_safe

    if isinstance(value, dict):
        return {k if not isinstance(k, str) else terminal_safe(k): _escaped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, str):
        return terminal_safe(value)
    return value


def run(args) -> int:
    from aisite.core.project import open_project

    with open_project(args.project, read_only=True) as project:
        info = describe(project)
    if args.json:
        json.dump(info, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(_text(info))
    return 0
