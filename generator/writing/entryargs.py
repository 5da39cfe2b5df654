"""The parsers of ``ipreg service`` and ``ipreg priority`` (design section 10), added to ``cli.build_parser``'s."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from generator.labels import PROGRAMME_ZH, SERVICE_KIND_ZH, SUPPORT_OUTCOME_ZH


def _choices(table: dict[str, str]) -> str:
    return "、".join(f"{code}（{label}）" for code, label in table.items())


def add_parsers(sub: Any, common: Callable[..., None]) -> None:
    service: argparse.ArgumentParser = sub.add_parser(
        "service", help="把一次服务（第十一条）录入多家企业的记录：只追加这一项，其他内容一字不改；任何一家会出错时一个文件也不写")
    common(service, paths=False)
    service.add_argument("--kind", required=True, metavar="KIND", help="服务类别，英文代码或中文都可以：" + _choices(SERVICE_KIND_ZH))
    service.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="服务日期")
    service.add_argument("--title", metavar="TEXT", help="服务或活动名称（默认为类别名称）")
    service.add_argument("--document", metavar="文号", help="依据的文件文号（可不写）")
    service.add_argument("--provider", metavar="TEXT", help="服务提供方：单位或职务，不写个人姓名")
    service.add_argument("--amount", metavar="YUAN", help="质押融资金额（元，整数）：质押融资必填，其他类别不写")
    service.add_argument("--lender", metavar="TEXT", help="贷款机构：质押融资必填，其他类别不写")
    service.add_argument("--participants", metavar="N", help="参训人数，人才培养培训必填")
    _tail(service)
    priority: argparse.ArgumentParser = sub.add_parser(
        "priority", help="把一次优先支持（第十三条）录入多家企业的记录；录入当天不可获优先支持的企业会使整条命令被拒绝")
    common(priority, paths=False)
    priority.add_argument("--programme", required=True, metavar="P", help="专项工作，英文代码或中文：" + _choices(PROGRAMME_ZH))
    priority.add_argument("--outcome", required=True, metavar="O", help="结果，英文代码或中文：" + _choices(SUPPORT_OUTCOME_ZH))
    priority.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="推荐或支持决定的日期")
    priority.add_argument("--document", metavar="文号", help="依据的文件文号（可不写）")
    _tail(priority)


def _tail(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--records", default="records", help="记录目录（默认 records）")
    parser.add_argument("--dry-run", action="store_true", help="只显示将要追加的内容（diff），不写入")
    parser.add_argument("uscc", nargs="*", metavar="USCC", help="企业的统一社会信用代码，可写多个")
