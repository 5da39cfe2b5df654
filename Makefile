# 两条命令即可（全新机器只需 Python 3.11、pip、git、make）：
#   make site   检查 records/ 中的记录并生成公开站点到 site/
#   make test   运行全部测试（端到端测试需要 Debian 的 chromium：apt-get install chromium）
#   make test-fast  只运行快速层（规则、生命周期、读取、内存中的输出；不启动进程，两核一分钟内，见 HACKING.md）
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
DEV_STAMP := $(VENV)/.installed-dev-$(shell cat requirements.lock requirements-dev.lock pyproject.toml | cksum | cut -d' ' -f1)
# 离线安装：make install WHEELHOUSE=目录（目录由 make wheelhouse 生成），不访问任何软件包索引，仍逐一核对哈希
PIP_SOURCE := $(if $(WHEELHOUSE),--no-index --find-links $(WHEELHOUSE),)

.PHONY: install site check serve admin test test-fast mutation lock wheelhouse clean manual-pdf manual-screenshots

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "需要 Python 3.11 或更高版本（Debian 12 自带的 python3 即可）；现在的 $(PYTHON) 是 $$($(PYTHON) -V 2>&1)。可用 make PYTHON=python3.12 指定。" >&2; exit 2; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check $(PIP_SOURCE) --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $@

# 测试还需要 requirements-dev.lock 中的软件包（pytest、playwright、mypy……）；运行站点和命令不需要它们
$(DEV_STAMP): $(STAMP) requirements-dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check $(PIP_SOURCE) --require-hashes -r requirements.lock -r requirements-dev.lock
	rm -f $(VENV)/.installed-dev-*
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

test: $(DEV_STAMP)
	$(BIN)/python -m pytest

# 操作手册（manual/）：打印成一个 PDF（需要 Chromium）；从真实程序重新拍摄截图（需要 tools/install-test-deps 装的软件）
manual-pdf: $(STAMP)
	$(BIN)/python tools/manual-pdf.py -o manual.pdf

manual-screenshots: $(DEV_STAMP)
	$(BIN)/python tools/manual-screenshots.py

# 快速层：未标记 slow 的测试（pyproject.toml 中的 pytest markers，见 HACKING.md 的 Test tiers）
test-fast: $(DEV_STAMP)
	$(BIN)/python -m pytest -m "not slow"

# 变异测试（约 6 分钟）：对 generator/lifecycle.py 和 generator/rules/ 做变异，报告被测试杀死的比例（见 HACKING.md）
mutation: $(DEV_STAMP)
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2 || true
	$(BIN)/python benchmarks/mutation_report.py

# 重新生成锁定文件（升级依赖时用）：在全新虚拟环境中安装 pyproject.toml 声明的依赖，冻结版本，
# 再用 pip-compile 为每个版本取得所有发行文件的 sha256（make 安装时 --require-hashes 逐一核对），
# 最后分成运行所需的 requirements.lock 和开发测试用的 requirements-dev.lock（tools/split-lock.py）
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check --upgrade setuptools wheel '.[test]'
	.venv-lock/bin/python -m pip freeze --exclude-editable --all | grep -v -E '^(pip|xiping-ipreg)( |==)' > .venv-lock/pins.in
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check pip-tools
	.venv-lock/bin/pip-compile --quiet --generate-hashes --allow-unsafe --no-header --no-annotate --strip-extras \
	  --no-emit-index-url --no-emit-find-links -o .venv-lock/requirements.lock .venv-lock/pins.in
	head -n 2 requirements.lock > .venv-lock/header && cat .venv-lock/header .venv-lock/requirements.lock > .venv-lock/all.lock
	.venv-lock/bin/python tools/split-lock.py .venv-lock/all.lock requirements.lock requirements-dev.lock
	rm -rf .venv-lock

# 内网安装包：把 requirements.lock 中的全部软件包（按哈希核对）下载到 wheelhouse/，拷到内网机器后
# make install WHEELHOUSE=wheelhouse 即可离线安装。给另一种机器准备：
#   make wheelhouse PLATFORM=win_amd64 PYVER=3.11     （Windows 上的 Python 3.11）
wheelhouse:
	@if [ -e wheelhouse ] && [ ! -f wheelhouse/requirements.lock ]; then \
	  echo "wheelhouse/ 已存在但不是 make wheelhouse 生成的（其中没有 requirements.lock），没有改动它。" >&2; exit 2; fi
	rm -rf wheelhouse.part && mkdir wheelhouse.part
	$(PYTHON) -m pip download --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements.lock -d wheelhouse.part \
	  $(if $(PLATFORM),--platform $(PLATFORM),) $(if $(PYVER),--python-version $(PYVER),)
	cp requirements.lock wheelhouse.part/
	rm -rf wheelhouse && mv wheelhouse.part wheelhouse
	@echo "已生成 wheelhouse/：连同仓库一起拷到内网机器，在仓库目录运行 make install WHEELHOUSE=wheelhouse（不需要网络）"

clean:
	rm -rf $(VENV) site build *.egg-info .pytest_cache .hypothesis mutants wheelhouse.part
