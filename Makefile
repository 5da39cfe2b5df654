# 两条命令即可（全新机器只需 Python 3.11、pip、git、make）：
#   make site   用 records/ 中的记录检查登记簿（以后生成公开站点）
#   make test   运行全部测试
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: site check test lock clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $@

site: $(STAMP)
	$(BIN)/ipreg check

check: $(STAMP)
	$(BIN)/ipreg check

test: $(STAMP)
	$(BIN)/python -m pytest

# 重新生成锁定文件（升级依赖时用）：在全新虚拟环境中安装 pyproject.toml 声明的依赖后冻结版本
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check --upgrade setuptools '.[test]'
	.venv-lock/bin/python -m pip freeze --exclude-editable --all | grep -v -E '^(pip|xiping-ipreg)( |==)' > requirements.lock
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) site build *.egg-info .pytest_cache .hypothesis
