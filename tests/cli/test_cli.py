"""The command line as a user runs it: subprocesses, exit codes, messages, both backends."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support.actors import ADMIN, as_admin

from counter_tui.catalog.loader import bundled_manuals_dir


def test_help_and_module_entry_point(cli):
    result = cli("--help")
    assert result.returncode == 0
    for command in ("locate", "catalog", "settings", "office"):
        assert command in result.stdout


def test_locate_prints_config_data_folder_and_url(cli, tmp_path, isolated_user_folders):
    result = cli("locate")
    assert result.returncode == 0, result.stderr
    home = isolated_user_folders
    assert f"config file:   {home / 'config' / 'counter-tui' / 'config.toml'}" in result.stdout
    assert f"data folder:   {home / 'data' / 'counter-tui'}" in result.stdout
    assert f"sqlite:///{home / 'data' / 'counter-tui' / 'counter.db'}" in result.stdout
    result = cli("--database", "postgresql://u:pw@db.example:5432/x", "locate")
    assert "postgresql://u:***@db.example:5432/x" in result.stdout


def test_database_url_from_the_environment_and_config(cli, tmp_path):
    config = tmp_path / "c.toml"
    config.write_text(f'database_url = "sqlite:///{tmp_path / "from-config.db"}"\n')
    result = cli("--config", str(config), "locate")
    assert "from-config.db" in result.stdout
    result = cli(
        "--config",
        str(config),
        "locate",
        env={"COUNTER_TUI_DATABASE_URL": f"sqlite:///{tmp_path / 'from-env.db'}"},
    )
    assert "from-env.db" in result.stdout


def test_bad_config_names_the_key(cli, tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('language = "th"\nsurvey = "x"\n')
    result = cli("--config", str(config), "locate")
    assert result.returncode == 2
    assert f"{config}:2: unknown key 'survey'" in result.stderr
    assert "settings set" in result.stderr
    config.write_text('language = "fr"\n')
    result = cli("--config", str(config), "locate")
    assert result.returncode == 2 and "'language' must be" in result.stderr
    assert "Traceback" not in result.stderr


def test_first_command_creates_the_database_with_office_and_sample_catalog(cli, db_url):
    result = cli("--database", db_url, "catalog", "list", "--format", "json")
    assert result.returncode == 0, result.stderr
    services = json.loads(result.stdout)
    assert len(services) >= 10
    assert all(s["sample"] for s in services)
    elderly = next(s for s in services if s["code"] == "ELDERLY_ALLOWANCE_REG")
    assert elderly["standard_text"] == "60 นาที" and elderly["standard_seconds"] == 3600


def test_catalog_list_table_is_thai(cli, db_url):
    result = cli("--database", db_url, "catalog", "list")
    assert result.returncode == 0, result.stderr
    assert "การชำระภาษีป้าย" in result.stdout and "ตัวอย่าง" in result.stdout


def test_validate_bundled_catalog_has_no_errors(cli):
    result = cli("catalog", "validate", str(bundled_manuals_dir()))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stdout


def test_broken_manual_gets_file_line_errors_and_exit_1(cli, tmp_path):
    broken = tmp_path / "broken.toml"
    source = Path(str(bundled_manuals_dir())) / "signboard_tax.toml"
    lines = source.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("name_en"))
    lines.insert(index + 1, 'colour = "red"')
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("catalog", "validate", str(broken))
    assert result.returncode == 1
    assert f"{broken}:{index + 2}: error:" in result.stderr
    assert "colour" in result.stderr
    assert "Traceback" not in result.stderr


def test_import_of_a_changed_manual_makes_a_new_version(cli, db_url, tmp_path):
    changed = tmp_path / "signboard_tax.toml"
    shutil.copy(Path(str(bundled_manuals_dir())) / "signboard_tax.toml", changed)
    text = changed.read_text(encoding="utf-8")
    assert 'standard = "5 นาที"' in text
    changed.write_text(
        text.replace('standard = "5 นาที"', 'standard = "7 นาที"', 1), encoding="utf-8"
    )
    result = as_admin("--database", db_url, "catalog", "import", str(changed))
    assert result.returncode == 0, result.stderr
    assert "updated 1" in result.stdout
    again = as_admin("--database", db_url, "catalog", "import", str(changed))
    assert "unchanged 1" in again.stdout
    listed = json.loads(cli("--database", db_url, "catalog", "list", "--format", "json").stdout)
    signboard = next(s for s in listed if s["code"] == "SIGNBOARD_TAX")
    assert signboard["version"] == 2 and signboard["standard_seconds"] == 420


def test_import_refuses_a_broken_file_and_changes_nothing(cli, db_url, tmp_path):
    broken = tmp_path / "x.toml"
    broken.write_text('code = "X"\n', encoding="utf-8")
    result = as_admin("--database", db_url, "catalog", "import", str(broken))
    assert result.returncode == 1 and "nothing imported" in result.stderr


def test_settings_are_validated_and_kept_per_fiscal_year(cli, db_url):
    bad = as_admin(
        "--database",
        db_url,
        "settings",
        "set",
        "survey.eit_url",
        "http://itas.nacc.go.th/go/eit/abc123",
    )
    assert bad.returncode == 2 and "survey.eit_url" in bad.stderr and "https" in bad.stderr
    ok = as_admin(
        "--database",
        db_url,
        "settings",
        "set",
        "survey.eit_url",
        "https://itas.nacc.go.th/go/eit/abc123",
        "--fiscal-year",
        "2569",
    )
    assert ok.returncode == 0, ok.stderr
    got = cli("--database", db_url, "settings", "get", "survey.eit_url", "--fiscal-year", "2569")
    assert got.stdout.strip() == "https://itas.nacc.go.th/go/eit/abc123"
    other_year = cli(
        "--database", db_url, "settings", "get", "survey.eit_url", "--fiscal-year", "2570"
    )
    assert other_year.returncode == 1 and "not set" in other_year.stderr
    unknown = as_admin("--database", db_url, "settings", "set", "survey.colour", "x")
    assert unknown.returncode == 2 and "unknown setting 'survey.colour'" in unknown.stderr
    name = as_admin("--database", db_url, "settings", "set", "office.name", "อบต.หนองบัว")
    assert name.returncode == 0
    assert (
        cli("--database", db_url, "settings", "get", "office.name").stdout.strip() == "อบต.หนองบัว"
    )
    hours = as_admin("--database", db_url, "settings", "set", "office.hours", "16:30-08:30")
    assert hours.returncode == 2 and "office.hours" in hours.stderr


def test_office_add_and_pick_with_office(cli, db_url):
    added = as_admin("--database", db_url, "office", "add", "nb2", "อบต.หนองบัว 2")
    assert added.returncode == 0, added.stderr
    listed = cli("--database", db_url, "--office", "nb2", "catalog", "list", "--format", "json")
    assert len(json.loads(listed.stdout)) >= 10
    missing = cli("--database", db_url, "--office", "nope", "catalog", "list")
    assert missing.returncode == 1 and "no office with code 'nope'" in missing.stderr
    dup = as_admin("--database", db_url, "office", "add", "nb2", "x")
    assert dup.returncode == 1 and "exists already" in dup.stderr


def test_staff_add_all_units_marks_the_palat_and_staff_list_shows_it(cli, db_url):
    def add(name: str, *options: str):
        return as_admin(
            "--database", db_url, "staff", "add", name, *options, "--pin-stdin", input="1234\n"
        )

    palat = add("ปลัด ดูแลทั่ว", "--role", "supervisor", "--all-units")
    assert palat.returncode == 0, palat.stderr
    assert "ทุกหน่วยงาน" in palat.stdout
    assert add("หัวหน้า ช่าง", "--role", "supervisor", "--unit", "กองช่าง").returncode == 0
    listed = as_admin("--database", db_url, "staff", "list")
    assert listed.returncode == 0, listed.stderr
    units = {line.split("\t")[0]: line.split("\t")[2] for line in listed.stdout.splitlines()}
    assert units == {"ปลัด ดูแลทั่ว": "ทุกหน่วยงาน (all units)", "หัวหน้า ช่าง": "กองช่าง", ADMIN: ""}
    officer = add("เจ้าหน้าที่ ช่าง", "--role", "officer", "--unit", "กองช่าง", "--all-units")
    assert officer.returncode == 1 and "--all-units" in officer.stderr
    assert "supervisor" in officer.stderr and "Traceback" not in officer.stderr


def test_unreachable_database_is_a_clear_error(cli):
    result = cli("--database", "postgresql://postgres@127.0.0.1:1/none", "catalog", "list")
    assert result.returncode == 1
    assert "cannot open the database" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--database", "sqlite:///x.db"],
        ["--database=sqlite:///x.db", "--office", "main"],
        ["--config", "c.toml", "--database", "postgresql://u@h/db", "--office=o"],
    ],
)
def test_a_plain_start_reads_its_options_as_the_full_parser_does(argv):
    """The app's start skips building every subcommand's parser (start-up time)."""
    from counter_tui.cli import _app_start, _parser

    quick, full = _app_start(argv), _parser().parse_args(argv)
    assert quick is not None
    assert vars(quick) == {k: v for k, v in vars(full).items()}


@pytest.mark.parametrize(
    "argv",
    [
        ["--database"],
        ["--datab", "x"],
        ["locate"],
        ["-h"],
        ["--config", "c.toml", "locate"],
        ["--version"],
    ],
)
def test_anything_else_goes_to_the_full_parser(argv):
    from counter_tui.cli import _app_start

    assert _app_start(argv) is None
