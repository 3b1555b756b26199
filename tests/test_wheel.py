"""An installed wheel works outside the checkout, on the sample ledgers it carries.

The wheel is built from a copy of the package sources (offline: --no-build-isolation, with
the setuptools of the running environment), installed into a fresh venv that borrows the
running environment's dependencies, and ``qzanalysis report --out DIR`` is run there with
no path from a folder outside the checkout. The figures checked are the founding article's
(秦州区：今年上半年，全区共实施招商引资项目59个，总投资98583万元，合同引资86563万元).

The package copies of the sample (qzanalysis/data/) and the checkout's copies (data/raw/)
are the same bytes, and the generator writes exactly those workbooks.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DATA = ROOT / "qzanalysis" / "data"
RAW = ROOT / "data" / "raw"
GENERATOR = ROOT / "data" / "make_sample_data.py"
#: the eight sample workbooks, by hand (data/README.md lists them)
SAMPLE_FILES = sorted([
    "qinzhou_h1_projects.xlsx",
    "qinzhou_pipeline.xlsx",
    *(f"monthly/qinzhou_2008-{m:02d}.xlsx" for m in range(1, 7)),
])
ARTICLE_PROJECTS = 59
ARTICLE_TOTAL = 98583
ARTICLE_CONTRACTED = 86563
#: what the report run may take, in seconds, and its address space, in bytes
TIMEOUT = 300
MEMORY_CAP = 3 * 2**30


def _relative_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.xlsx"))


def test_package_data_is_the_sample_and_data_raw_holds_the_same_bytes():
    assert _relative_files(PACKAGE_DATA) == SAMPLE_FILES
    assert _relative_files(RAW) == SAMPLE_FILES
    for name in SAMPLE_FILES:
        assert (PACKAGE_DATA / name).read_bytes() == (RAW / name).read_bytes(), name


def _members(path: Path) -> list[tuple[str, tuple, bytes]]:
    with zipfile.ZipFile(path) as archive:
        return [(i.filename, i.date_time, archive.read(i)) for i in archive.infolist()]


def test_generator_writes_the_shipped_workbooks(tmp_path):
    # lxml, when installed, must not change what openpyxl writes: the script switches it off
    env = {k: v for k, v in os.environ.items() if k != "OPENPYXL_LXML"}
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(tmp_path)], check=True,
                   cwd=ROOT, capture_output=True, env=env, timeout=TIMEOUT)
    assert _relative_files(tmp_path) == SAMPLE_FILES
    for name in SAMPLE_FILES:
        # every zip member, its order, bytes and timestamp; the deflated bytes themselves
        # depend on the machine's zlib, so the files are compared through their members
        assert _members(tmp_path / name) == _members(PACKAGE_DATA / name), name


def _need_backend() -> None:
    """Skip when this environment cannot build the wheel offline; in CI that is a failure."""
    from packaging.version import Version

    try:
        import setuptools
    except ImportError:
        found = "no setuptools"
    else:
        if Version(setuptools.__version__) >= Version("77"):
            return
        found = f"setuptools {setuptools.__version__}"
    reason = (f"{found}: building the wheel offline needs setuptools >= 77 "
              "(in the test extra: pip install -e '.[test]')")
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def _clean_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "PYTHONHOME", "PYTHONSAFEPATH", "VIRTUAL_ENV",
                        "PYTHONSTARTUP", "PYTHONUSERBASE"} and not k.startswith("PIP_")}
    env.update(MPLBACKEND="Agg", MPLCONFIGDIR=str(tmp / "mpl"), PIP_NO_INDEX="1",
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


def _run(cmd, *, cwd, env, cap: bool = False):
    def limit():  # a report that ran away must not take the test machine with it
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    preexec = limit if cap and sys.platform != "win32" else None
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=TIMEOUT, preexec_fn=preexec)
    assert done.returncode == 0, f"{cmd}\n{done.stdout}\n{done.stderr}"
    return done


def _dependency_dirs() -> list[str]:
    """The running environment's site-packages folders.

    A venv made with --system-site-packages sees only the base interpreter's packages; when
    the tests themselves run in a venv, its site-packages are added with a .pth file. A path
    listed there is not scanned for .pth files, so an editable install of qzanalysis in the
    running environment does not come along, and it comes after the new venv's own
    site-packages, so the wheel's qzanalysis is the one imported (a test checks that).
    """
    dirs = [entry for entry in sys.path if entry
            and Path(entry).name in {"site-packages", "dist-packages"} and Path(entry).is_dir()]
    return list(dict.fromkeys(dirs))


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """Build the wheel, install it into a fresh venv; return (wheel, venv python, scripts, env)."""
    _need_backend()
    tmp = tmp_path_factory.mktemp("wheel")
    env = _clean_env(tmp)

    # a copy of the sources: the build's build/ and *.egg-info stay out of the checkout
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "MANIFEST.in"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "qzanalysis", src / "qzanalysis",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = tmp / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
          "--no-index", "-w", dist, src], cwd=tmp, env=env)
    (wheel,) = dist.glob("qzanalysis-*.whl")

    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv],
         cwd=tmp, env=env)
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    # the running pip installs into the new venv, which has none of its own
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps",
          "--no-index", wheel], cwd=tmp, env=env)
    paths = _run([python, "-c", "import sysconfig; p = sysconfig.get_paths(); "
                  "print(p['purelib']); print(p['scripts'])"], cwd=tmp, env=env).stdout
    purelib, scripts = paths.splitlines()
    # only now: before the install, pip would have seen the running environment's qzanalysis
    (Path(purelib) / "_qzanalysis_test_dependencies.pth").write_text(
        "\n".join(_dependency_dirs()) + "\n", encoding="utf-8")
    return wheel, python, Path(scripts), env


def test_wheel_carries_the_sample_ledgers(installed):
    wheel, *_ = installed
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for name in SAMPLE_FILES:
            shipped = archive.read(f"qzanalysis/data/{name}")
            assert shipped == (PACKAGE_DATA / name).read_bytes(), name
    assert "qzanalysis/data/__init__.py" in names
    assert "qzanalysis/rules/stage_words.csv" in names


def test_installed_package_finds_its_sample_outside_the_checkout(installed, tmp_path):
    _, python, _, env = installed
    code = ("import qzanalysis, qzanalysis.data as d; p = d.sample_paths(); "
            "print(qzanalysis.__file__); print(p['ledger']); print(p['monthly']); "
            "print(p['pipeline'])")
    out = _run([python, "-c", code], cwd=tmp_path, env=env).stdout.splitlines()
    venv = python.parent.parent.resolve()
    package = Path(out[0]).resolve().parent
    assert venv in package.parents  # the wheel's copy, not the checkout's
    assert ROOT not in package.parents
    assert [Path(p) for p in out[1:]] == [package / "data" / "qinzhou_h1_projects.xlsx",
                                          package / "data" / "monthly",
                                          package / "data" / "qinzhou_pipeline.xlsx"]


@pytest.mark.slow  # about 15 s: builds a wheel, a venv, and a report with its charts
def test_installed_report_with_no_path_reproduces_the_article(installed, tmp_path):
    _, _, scripts, env = installed
    elsewhere = tmp_path / "elsewhere"  # not the checkout, and nothing in it
    elsewhere.mkdir()
    exe = scripts / ("qzanalysis.exe" if sys.platform == "win32" else "qzanalysis")
    _run([exe, "report", "--out", "out"], cwd=elsewhere, env=env, cap=True)

    out = elsewhere / "out"
    assert (out / "summary.xlsx").is_file()
    page = (out / "report.html").read_text(encoding="utf-8")
    assert f"总投资{ARTICLE_TOTAL}万元" in page
    assert f"项目{ARTICLE_PROJECTS}个" in page
    assert f"合同引资{ARTICLE_CONTRACTED}万元" in page
    # the monthly ledgers and the pipeline came along: their charts were drawn
    assert (out / "charts" / "月度累计完成.svg").is_file()
    assert (out / "charts" / "项目阶段漏斗.svg").is_file()

    import pandas as pd

    overview = pd.read_excel(out / "summary.xlsx", sheet_name="总览", engine="calamine")
    figures = dict(zip(overview["指标"], overview["数值"], strict=True))
    assert figures["项目个数（个）"] == ARTICLE_PROJECTS
    assert figures["总投资（万元）"] == ARTICLE_TOTAL
    assert figures["合同引资（万元）"] == ARTICLE_CONTRACTED

