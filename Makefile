# qzanalysis — every target does its own set-up in a local .venv.
# The venv is created when missing, reused when present, and rebuilt from scratch
# when pyproject.toml changes (so a removed dependency does not linger).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check
OUT    ?= reports

.PHONY: help report test lab lint notebooks clean

help:
	@echo "make report   生成上半年报告（示例台账）→ $(OUT)/"
	@echo "make test     运行全部测试（单元测试 + 笔记本）"
	@echo "make lab      打开 JupyterLab（notebooks/）"
	@echo "make lint     代码检查（ruff）"
	@echo "make notebooks  由 notebooks/*.py 重新生成并运行笔记本（.ipynb）"
	@echo "make clean    删除 .venv、reports/ 和缓存"

$(VENV)/.base: pyproject.toml
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip
	$(PIP) -e .
	touch $@

$(VENV)/.test: $(VENV)/.base
	$(PIP) -e ".[test]"
	touch $@

$(VENV)/.lab: $(VENV)/.base
	$(PIP) -e ".[lab,test]"
	touch $@

report: $(VENV)/.base
	$(BIN)/qzanalysis report --out $(OUT)

test: $(VENV)/.test
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env

lab: $(VENV)/.lab
	$(BIN)/jupyter lab notebooks/

lint: $(VENV)/.test
	$(BIN)/ruff check qzanalysis tests benchmarks data notebooks

# The .py scripts are the notebooks' source: rebuild, execute and save the paired .ipynb.
notebooks: $(VENV)/.test
	$(BIN)/python notebooks/sync.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache .hypothesis build *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
