"""JSON -> project -> JSON is exact; awkward names survive; stored and exported evaluate alike."""
import json

import pytest

from aisite.core.errors import InputError
from aisite.core.project import create_project, load_scenario_dict, load_user_catalogue, open_project
from aisite.core.project.edits import (
    AddAnalysis,
    AddCatalogueEntry,
    AddScenario,
    AddSite,
    DuplicateAsVariant,
    MoveScenario,
    RenameScenario,
    SetUncertainInput,
    import_documents,
)
from aisite.core.project.json_io import dumps_export, read_scenario_json

from .conftest import TRICKY_NAMES, exact, sample_docs, snapshot, tricky_doc


def _write(path, doc):
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def test_samples_and_awkward_documents_round_trip_exactly(tmp_path):
    docs = sample_docs() + [tricky_doc(), tricky_doc("Second", extras=True)]
    files = [_write(tmp_path / f"in{i}.json", d) for i, d in enumerate(docs)]
    with create_project(tmp_path / "p.aisite") as project:
        originals = [read_scenario_json(f) for f in files]
        import_documents(project, [(d, str(f)) for d, f in zip(originals[:-1], files)])
        import_documents(project, [(originals[-1], str(files[-1]))], validate=False)  # unknown fields
    # reopen: the exact object comes back, through the API and through the text of an export
    with open_project(tmp_path / "p.aisite", read_only=True) as project:
        for original in docs:
            stored = project.effective_scenario(original["name"])
            assert exact(stored, original)
            assert exact(json.loads(dumps_export(stored)), original)
            assert exact(read_scenario_json(tmp_path / "in0.json"), docs[0])


def test_key_order_and_number_types_are_kept(project):
    doc = {"name": "Order", "format": "aisite.scenario/1", "b": 1, "a": 1.0, "c": [3, 2.5, 1e22, -0.0]}
    project.do(AddScenario(doc))
    back = project.effective_scenario("Order")
    assert list(back) == ["name", "format", "b", "a", "c"]
    assert type(back["b"]) is int and type(back["a"]) is float and str(back["c"][3]) == "-0.0"


@pytest.mark.parametrize("name", TRICKY_NAMES)
def test_awkward_names_survive_everywhere(tmp_path, name):
    path = tmp_path / "p.aisite"
    with create_project(path, title=name) as project:
        doc = tricky_doc(name)
        added = project.do(AddScenario(doc))
        variant = project.do(DuplicateAsVariant(project, name, f"{name} v", {"power[0].mw": 99}))
        site = project.do(AddSite(name))
        project.do(MoveScenario(project, added.scenario_id, site.site_id))
        project.do(AddCatalogueEntry("chips", {"id": name, "name": name, "tdp_w": 700}))
        project.do(SetUncertainInput(project, name, "power[0].mw", "uniform", {"low": 1, "high": 2}, label=name))
        project.do(AddAnalysis(project, name, "sweep", {"param": "power[0].mw", "label": name}, name))
        before = snapshot(project)
    with open_project(path) as project:
        assert snapshot(project) == before
        assert project.scenario(name).id == added.scenario_id
        assert project.effective_scenario(f"{name} v")["name"] == f"{name} v"
        assert exact(project.effective_scenario(name), doc)
        assert project.site(name).name == name
        assert project.catalogue_entry("chips", name).data["name"] == name
        assert project.analysis(name).definition["label"] == name
        assert load_user_catalogue(path)["chips"][0]["id"] == name
        project.do(RenameScenario(project, name, name + "'\"; --"))
        assert project.effective_scenario(name + "'\"; --")["name"] == name + "'\"; --"
    assert variant.scenario_id is not None


def test_cli_import_export_round_trip_and_same_numbers(tmp_path, capsys):
    from aisite.app.cli import main

    docs = sample_docs() + [tricky_doc()]
    files = [_write(tmp_path / f"s{i}.json", d) for i, d in enumerate(docs)]
    project = tmp_path / "cli.aisite"
    assert main(["new", str(project), "--from", *map(str, files[:2])]) == 0
    assert main(["import", str(project), *map(str, files[2:])]) == 0
    capsys.readouterr()
    for i, doc in enumerate(docs):
        out = tmp_path / f"out{i}.json"
        assert main(["export", str(project), "--scenario", doc["name"], "--out", str(out)]) == 0
        assert exact(json.loads(out.read_text(encoding="utf-8")), doc)
        # the stored scenario and its exported file evaluate to the same numbers
        capsys.readouterr()
        assert main(["evaluate", str(project), "--scenario", doc["name"], "--json"]) == 0
        from_project = capsys.readouterr().out
        assert main(["evaluate", str(out), "--json"]) == 0
        from_file = capsys.readouterr().out
        assert from_project == from_file
        assert json.loads(from_project)["throughput"]["accelerators"] > 0
    # export to stdout
    assert main(["export", str(project), "--scenario", docs[0]["name"]]) == 0
    assert exact(json.loads(capsys.readouterr().out), docs[0])


def test_variant_exports_its_effective_document(project):
    base = sample_docs()[0]
    project.do(AddScenario(base))
    project.do(DuplicateAsVariant(project, base["name"], "V", {"power[0].mw": 123, "finance.discount_rate": 0.1}))
    out = project.export_scenario("V")
    expected = json.loads(json.dumps(base))
    expected["power"][0]["mw"] = 123
    expected["finance"]["discount_rate"] = 0.1
    expected["name"] = "V"
    assert exact(out, expected)
    assert load_scenario_dict(project.path, "V") == out  # no uncertain inputs, no profiles: same dict


def test_unknown_scenario_names_the_option_and_lists_names(project):
    project.do(AddScenario(sample_docs()[0]))
    with pytest.raises(InputError) as info:
        load_scenario_dict(project.path, "Nope")
    assert info.value.field == "--scenario"
    assert sample_docs()[0]["name"] in info.value.message


def test_import_conflicts(project, tmp_path):
    doc = sample_docs()[0]
    import_documents(project, [(doc, "a.json")])
    with pytest.raises(InputError, match="already has a scenario"):
        import_documents(project, [(doc, "a.json")])
    import_documents(project, [(doc, "a.json")], on_conflict="rename")
    assert project.scenario_names() == [doc["name"], f"{doc['name']} (2)"]
    changed = dict(doc, region="sweden")
    import_documents(project, [(changed, "a.json")], on_conflict="replace")
    assert project.effective_scenario(doc["name"])["region"] == "sweden"
    # all or nothing: one bad file and nothing is added
    bad = dict(doc, name="Bad", deployments=[{"chip": "nvidia-b200", "count": -5}])
    n = len(project.scenarios())
    with pytest.raises(InputError) as info:
        import_documents(project, [(dict(doc, name="Good"), "g.json"), (bad, "b.json")])
    assert str(info.value).startswith("b.json: deployments[0].count")
    assert len(project.scenarios()) == n


def test_relative_profile_paths_are_kept_and_resolved_from_the_project_folder(tmp_path):
    weather = tmp_path / "site weather.csv"
    weather.write_text("dry_bulb_c\n" + "\n".join("20" for _ in range(8760)) + "\n")
    doc = dict(sample_docs()[0], profiles={"dry_bulb_c": "site weather.csv"})
    src = _write(tmp_path / "with-profile.json", doc)
    with create_project(tmp_path / "p.aisite") as project:
        import_documents(project, [(read_scenario_json(src), str(src))], validate=False)
        assert project.export_scenario(doc["name"])["profiles"] == {"dry_bulb_c": "site weather.csv"}
        resolved = project.effective_scenario(doc["name"], resolve_files=True)
        assert resolved["profiles"]["dry_bulb_c"] == str(weather.resolve())
        first = project.input_hash(doc["name"])
        weather.write_text("dry_bulb_c\n" + "\n".join("21" for _ in range(8760)) + "\n")
        assert project.input_hash(doc["name"]) != first  # a changed profile file makes results stale
