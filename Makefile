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

# 本机表单编辑：decap-server 读写本地仓库（端口 8081），mkdocs serve 提供站点预览和 /admin/（http://localhost:8000/admin/）
admin: $(STAMP)
	test -d tools/admin/node_modules || npm ci --prefix tools/admin --no-audit --no-fund
	GIT_REPO_DIRECTORY="$(CURDIR)" node tools/admin/node_modules/decap-server/dist/index.js & \
	  trap 'kill $$!' EXIT; NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve -a localhost:8000

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
