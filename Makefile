# 两条命令即可（全新机器只需 Python 3.11、pip、git、make）：
#   make site   检查 records/ 中的记录并生成公开站点到 site/
#   make test   运行全部测试（端到端测试需要 Debian 的 chromium：apt-get install chromium）
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install site check serve admin test mutation lock clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "需要 Python 3.11 或更高版本（Debian 12 自带的 python3 即可）；现在的 $(PYTHON) 是 $$($(PYTHON) -V 2>&1)。可用 make PYTHON=python3.12 指定。" >&2; exit 2; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $@

# 只安装 .venv（记录检查、导出、站点所需的 Python 包），不运行测试
install: $(STAMP)

site: $(STAMP)
	$(BIN)/ipreg build

serve: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve

# 本机表单编辑（只需 Python）：ipreg admin 在 http://127.0.0.1:8081/admin/ 提供表单编辑器，保存前按 ipreg check 检查
admin: $(STAMP)
	$(BIN)/ipreg admin

check: $(STAMP)
	$(BIN)/ipreg check

test: $(STAMP)
	$(BIN)/python -m pytest

# 变异测试（约 6 分钟）：对 generator/lifecycle.py 和 generator/rules/ 做变异，报告被测试杀死的比例（见 HACKING.md）
mutation: $(STAMP)
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2 || true
	$(BIN)/python benchmarks/mutation_report.py

# 重新生成锁定文件（升级依赖时用）：在全新虚拟环境中安装 pyproject.toml 声明的依赖，冻结版本，
# 再用 pip-tools 为每个版本取得所有发行文件的 sha256（make 安装时 --require-hashes 逐一核对）
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check --upgrade setuptools '.[test]'
	.venv-lock/bin/python -m pip freeze --exclude-editable --all | grep -v -E '^(pip|xiping-ipreg)( |==)' > .venv-lock/pins.in
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check pip-tools
	.venv-lock/bin/pip-compile --quiet --generate-hashes --allow-unsafe --no-header --no-annotate --strip-extras \
	  --no-emit-index-url --no-emit-find-links -o .venv-lock/requirements.lock .venv-lock/pins.in
	head -n 2 requirements.lock > .venv-lock/header && cat .venv-lock/header .venv-lock/requirements.lock > requirements.lock
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) site build *.egg-info .pytest_cache .hypothesis mutants
