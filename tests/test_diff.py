"""`clickgen diff BASE [HEAD]`: the reviewer's view of a pull request, as markdown
and JSON, built on the same comparison as `validate --base`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from clickgen.cli import main
from clickgen.diff import build_report, render_json, render_markdown
from clickgen.history import check_history
from gitrepo import GitRepo

SIGNUP = """\
    event: signup
    id: 30
    owner: team-auth
    description: The user created an account.
    environments: [backend]
    versions:
      1:
        fields:
          user_id: required
          user_type: optional
    """


def make_pull_request(repo: GitRepo) -> None:
    """A typical reference pull request: no violations, a bit of everything."""
    repo.write("events/auth/signup.yaml", SIGNUP)
    repo.edit(
        "events/auth/login.yaml",
        "      user_type: optional\n",
        "      user_type: optional\n  3:\n    description: Account type is required; adds the referral code.\n"
        "    fields:\n      user_id: required\n      user_type: required\n      referral_code: optional\n",
    )
    repo.edit("events/auth/login.yaml", "environments: [backend, ios-app]", "environments: [backend, ios-app, moderation]")
    repo.edit("fields/user.yaml", "legacy_flag:", "referral_code:\n  type: string\n  pattern: '[A-Z]{4}|[0-9]{6}'\n  description: Code of the inviting user.\n\nlegacy_flag:")
    repo.edit("events/search/search.yaml", "environments: [backend]", "environments: [backend]\ndeprecated: {reason: replaced by search_v2, replaced_by: login}")
    repo.edit("events/search/search.yaml", "description: Search results were shown.", "description: Search results were shown to the user.")
    repo.write("environments/web.yaml", "name: web\nsource_id: 4\ncommon_fields:\n  app_version: optional\nlangpacks: [go, php]\n")
    repo.edit("environments/ios-app.yaml", "device_model: optional", "device_model: optional\n  legacy_flag: optional")


def test_markdown_for_a_pull_request(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    make_pull_request(repo)
    history = check_history(repo.root, "main")
    assert history.ok
    markdown = render_markdown(build_report(history))
    expected_parts = [
        "## clickgen diff: `main` → the working tree",
        "**no errors** · 1 new event · 1 new version · 1 deprecation · 1 new field · 1 new environment · 1 metadata edit"
        " · 4 of 4 environments get new langpack versions",
        "#### `signup` (id 30) in `events/auth/signup.yaml:1:8`",
        "owner `team-auth` · environments: `backend`",
        "> The user created an account.",
        "#### `login` version 3 in `events/auth/login.yaml:16:3`",
        "> Account type is required; adds the referral code.",
        "Compared with version 2:",
        "| added | `referral_code` | `string, matching [A-Z]{4}\\|[0-9]{6}` | optional |",
        "| changed | `user_type` | `string, one of private, company` | optional → **required** |",
        "|  | `user_id` | `integer, ≥ 1` | required |",
        "- event `search` is deprecated, replaced by `login` (`events/search/search.yaml:6:13`): replaced by search_v2",
        "| `referral_code` | `string, matching [A-Z]{4}\\|[0-9]{6}` | Code of the inviting user. |",
        "| `web` | 4 | go, php | app_version (optional) |",
        "- event `login` now also occurs in `moderation` (`events/auth/login.yaml:6:15`)",
        "- `ios-app` gets the optional common field `legacy_flag` (`environments/ios-app.yaml:7:3`)",
        "- description of event `search` changed (`events/search/search.yaml:4:14`): `Search results were shown.` → `Search results were shown to the user.`",
        "| `backend` | python, go | **new version** | event `login`, event `search`, event `signup` (new), field `referral_code` (new) |",
        "| `ios-app` | python | **new version** | environment `ios-app`, event `login`, field `legacy_flag` (new), field `referral_code` (new) |",
        "| `moderation` | php | **new version** | event `login` (new), field `referral_code` (new), field `user_id` (new), field `user_type` (new) |",
        "| `web` | go, php | **first version** |  |",
    ]
    for part in expected_parts:
        assert part in markdown, f"missing: {part}\n\n{markdown}"
    assert "### Problems" not in markdown


def test_json_for_a_pull_request(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    make_pull_request(repo)
    data = json.loads(render_json(build_report(check_history(repo.root, "main"))))
    assert (data["base"], data["head"], data["base_exists"]) == ("main", None, True)
    assert data["summary"]["errors"] == 0 and data["summary"]["new_langpack_versions"] == 4
    [version] = data["new_versions"]
    assert (version["event"], version["version"], version["compared_with"]) == ("login", 3, 2)
    assert [(r["name"], r["status"], r["required"]) for r in version["rows"]] == [
        ("referral_code", "added", False),
        ("user_type", "now-required", True),
        ("user_id", "same", True),
    ]
    [event] = data["new_events"]
    assert event["name"] == "signup" and [r["name"] for r in event["versions"][0]["rows"]] == ["user_id", "user_type"]
    assert {p["environment"]: p["status"] for p in data["langpacks"]} == {
        "backend": "new-version",
        "ios-app": "new-version",
        "moderation": "new-version",
        "web": "new-environment",
    }
    [metadata] = data["metadata"]
    assert (metadata["entity"], metadata["before"], metadata["after"]) == ("event:search", "Search results were shown.", "Search results were shown to the user.")


def test_removed_fields_and_violations(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    repo.edit("events/auth/login.yaml", "      user_type: optional\n", "      user_type: optional\n  3:\n    fields:\n      user_type: optional\n")
    repo.edit("fields/search.yaml", "max_length: 500", "max_length: 100")
    result = CliRunner().invoke(main, ["--reference", str(repo.root), "diff", "main"])
    assert result.exit_code == 1
    out = result.stdout
    assert "**1 error** (append-only violations and reference errors: fix or waive them)" in out
    assert "- **error** `fields/search.yaml:3:15` CG0334 `field-constraint-tightened`: field `search_query` changes max_length from 500 to 200" not in out
    assert "- **error** `fields/search.yaml:3:15` CG0334 `field-constraint-tightened`: field `search_query` changes max_length from 500 to 100" in out
    assert "| removed | ~~`user_id`~~ | `integer, ≥ 1` | — |" in out
    assert "| `backend` | python, go | **new version** | event `login`, field `search_query` |" in out
    assert "| `moderation` | php | unchanged |  |" in out


def test_waived_violations_are_listed(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    repo.edit("fields/search.yaml", "max_length: 500", "max_length: 100")
    repo.edit("clickgen.yaml", "waivers: []", "waivers:\n  - {rule: CG0334, entity: 'field:search_query', reason: the collector always cut at 100}")
    result = CliRunner().invoke(main, ["--reference", str(repo.root), "diff", "main"])
    assert result.exit_code == 0, result.stdout
    assert (
        "- CG0334 `field-constraint-tightened` for `field:search_query`: field `search_query` changes max_length from 500 to 100"
        in result.stdout
    )
    assert "Reason: the collector always cut at 100 (`clickgen.yaml:4:5`)" in result.stdout


def test_nothing_changed(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    result = CliRunner().invoke(main, ["--reference", str(repo.root), "diff", "main"])
    assert result.exit_code == 0
    assert "**no errors** · 0 of 3 environments get new langpack versions" in result.stdout
    assert result.stdout.count("| unchanged |") == 3


def test_diff_between_two_revisions(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    repo.branch("feature")
    repo.write("events/auth/signup.yaml", SIGNUP)
    repo.commit("signup")
    repo.delete("events/auth/login.yaml")  # only in the working tree: not part of the comparison
    result = CliRunner().invoke(main, ["--reference", str(repo.root), "diff", "main", "feature", "--format", "json"])
    assert result.exit_code == 0, result.stdout
    data = json.loads(result.stdout)
    assert data["head"] == "feature" and [e["name"] for e in data["new_events"]] == ["signup"]
    markdown = CliRunner().invoke(main, ["--reference", str(repo.root), "diff", "main", "feature"]).stdout
    assert markdown.startswith("## clickgen diff: `main` → `feature`\n")


def test_reference_new_at_the_base(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path)
    (tmp_path / "README.md").write_text("x\n")
    repo.commit("start")
    repo.write("clickgen.yaml", "name: shop\n")
    repo.write("fields/user.yaml", "user_id:\n  type: integer\n  description: Id.\n")
    result = CliRunner().invoke(main, ["--reference", str(repo.root), "diff", "main"])
    assert result.exit_code == 0
    assert "There is no reference at `main`: all of it is new." in result.stdout
    assert "| `user_id` | `integer` | Id. |" in result.stdout


def test_unknown_base_is_a_usage_error(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    result = CliRunner().invoke(main, ["--reference", str(repo.root), "diff", "v9.9"])
    assert result.exit_code == 2 and "`v9.9` is not a commit" in result.stderr


def test_long_markdown_is_cut_to_fit_a_comment(tmp_path: Path) -> None:
    repo = GitRepo.with_base(tmp_path)
    for i in range(60):
        repo.write(f"events/bulk/bulk_{chr(97 + i // 26)}{chr(97 + i % 26)}.yaml", SIGNUP.replace("signup", f"bulk_{chr(97 + i // 26)}{chr(97 + i % 26)}").replace("id: 30", f"id: {100 + i}"))
    history = check_history(repo.root, "main")
    assert history.ok, history.diagnostics
    full = render_markdown(build_report(history))
    cut = render_markdown(build_report(history), max_chars=4000)
    assert len(full) > 8000 and len(cut) <= 4000
    assert "more lines of details are left out to fit a comment" in cut
    assert cut.startswith(full.split("### New events")[0]) and cut.endswith(full[full.index("### Langpacks") :])
    result = CliRunner().invoke(main, ["--reference", str(repo.root), "diff", "main", "--max-chars", "0"])
    assert result.stdout == full


def test_langpack_versions_from_the_lock(tmp_path: Path) -> None:
    from clickgen.frontend import analyze_folder
    from clickgen.versioning import LOCK_FILE, Lock, Release, environment_content_hash

    repo = GitRepo.with_base(tmp_path)
    released = analyze_folder(repo.root).reference
    lock = Lock()
    lock.add(Release("backend", 1, 3, environment_content_hash(released, "backend")))
    lock.add(Release("moderation", 1, 0, environment_content_hash(released, "moderation")))
    (repo.root / LOCK_FILE).write_text(lock.render())
    repo.commit("release")
    repo.edit("events/search/search.yaml", "owner: team-search", "owner: team-discovery")
    out = CliRunner().invoke(main, ["--reference", str(repo.root), "diff", "main"]).stdout
    assert "| `backend` | python, go | **new version** (0.1.3 → 0.1.4) | event `search` |" in out
    assert "| `moderation` | php | unchanged (0.1.0) |  |" in out
