"""GB/T 4754-2017 国民经济行业分类: the 20 sections (门类) and 97 divisions (大类), as data, in one place.

Records write a division as its section letter and two-digit code (``C35``) and its name. ``industry_problem`` says
what is wrong with a pair: a letter that is not the section of the digits, a code that is no division, a name that is
another division's or none (errors), or a name written an older (GB/T 4754-2011) or shorter way (warnings, with the
right name). The 2019 amendment No. 1 changed no division name.
"""

from __future__ import annotations

import unicodedata

SECTIONS: dict[str, tuple[str, int, int]] = {  # letter -> (name, first division, last division)
    "A": ("农、林、牧、渔业", 1, 5),
    "B": ("采矿业", 6, 12),
    "C": ("制造业", 13, 43),
    "D": ("电力、热力、燃气及水生产和供应业", 44, 46),
    "E": ("建筑业", 47, 50),
    "F": ("批发和零售业", 51, 52),
    "G": ("交通运输、仓储和邮政业", 53, 60),
    "H": ("住宿和餐饮业", 61, 62),
    "I": ("信息传输、软件和信息技术服务业", 63, 65),
    "J": ("金融业", 66, 69),
    "K": ("房地产业", 70, 70),
    "L": ("租赁和商务服务业", 71, 72),
    "M": ("科学研究和技术服务业", 73, 75),
    "N": ("水利、环境和公共设施管理业", 76, 79),
    "O": ("居民服务、修理和其他服务业", 80, 82),
    "P": ("教育", 83, 83),
    "Q": ("卫生和社会工作", 84, 85),
    "R": ("文化、体育和娱乐业", 86, 90),
    "S": ("公共管理、社会保障和社会组织", 91, 96),
    "T": ("国际组织", 97, 97),
}

DIVISIONS: dict[str, str] = {  # two-digit code -> name (GB/T 4754-2017)
    "01": "农业", "02": "林业", "03": "畜牧业", "04": "渔业", "05": "农、林、牧、渔专业及辅助性活动",
    "06": "煤炭开采和洗选业", "07": "石油和天然气开采业", "08": "黑色金属矿采选业", "09": "有色金属矿采选业",
    "10": "非金属矿采选业", "11": "开采专业及辅助性活动", "12": "其他采矿业",
    "13": "农副食品加工业", "14": "食品制造业", "15": "酒、饮料和精制茶制造业", "16": "烟草制品业", "17": "纺织业",
    "18": "纺织服装、服饰业", "19": "皮革、毛皮、羽毛及其制品和制鞋业", "20": "木材加工和木、竹、藤、棕、草制品业",
    "21": "家具制造业", "22": "造纸和纸制品业", "23": "印刷和记录媒介复制业", "24": "文教、工美、体育和娱乐用品制造业",
    "25": "石油、煤炭及其他燃料加工业", "26": "化学原料和化学制品制造业", "27": "医药制造业", "28": "化学纤维制造业",
    "29": "橡胶和塑料制品业", "30": "非金属矿物制品业", "31": "黑色金属冶炼和压延加工业", "32": "有色金属冶炼和压延加工业",
    "33": "金属制品业", "34": "通用设备制造业", "35": "专用设备制造业", "36": "汽车制造业",
    "37": "铁路、船舶、航空航天和其他运输设备制造业", "38": "电气机械和器材制造业", "39": "计算机、通信和其他电子设备制造业",
    "40": "仪器仪表制造业", "41": "其他制造业", "42": "废弃资源综合利用业", "43": "金属制品、机械和设备修理业",
    "44": "电力、热力生产和供应业", "45": "燃气生产和供应业", "46": "水的生产和供应业",
    "47": "房屋建筑业", "48": "土木工程建筑业", "49": "建筑安装业", "50": "建筑装饰、装修和其他建筑业",
    "51": "批发业", "52": "零售业",
    "53": "铁路运输业", "54": "道路运输业", "55": "水上运输业", "56": "航空运输业", "57": "管道运输业",
    "58": "多式联运和运输代理业", "59": "装卸搬运和仓储业", "60": "邮政业",
    "61": "住宿业", "62": "餐饮业",
    "63": "电信、广播电视和卫星传输服务", "64": "互联网和相关服务", "65": "软件和信息技术服务业",
    "66": "货币金融服务", "67": "资本市场服务", "68": "保险业", "69": "其他金融业",
    "70": "房地产业",
    "71": "租赁业", "72": "商务服务业",
    "73": "研究和试验发展", "74": "专业技术服务业", "75": "科技推广和应用服务业",
    "76": "水利管理业", "77": "生态保护和环境治理业", "78": "公共设施管理业", "79": "土地管理业",
    "80": "居民服务业", "81": "机动车、电子产品和日用产品修理业", "82": "其他服务业",
    "83": "教育",
    "84": "卫生", "85": "社会工作",
    "86": "新闻和出版业", "87": "广播、电视、电影和录音制作业", "88": "文化艺术业", "89": "体育", "90": "娱乐业",
    "91": "中国共产党机关", "92": "国家机构", "93": "人民政协、民主党派", "94": "社会保障",
    "95": "群众团体、社会团体和其他成员组织", "96": "基层群众自治组织及其他组织",
    "97": "国际组织",
}

OLDER_NAMES: dict[str, str] = {  # code -> its GB/T 4754-2011 name where 2017 renamed the division under the same code
    "05": "农、林、牧、渔服务业",
    "11": "开采辅助活动",
    "25": "石油加工、炼焦和核燃料加工业",
    "50": "建筑装饰和其他建筑业",
    "58": "装卸搬运和运输代理业",
    "59": "仓储业",
}


def section_of(digits: str) -> str | None:
    """The section letter of a two-digit division code, or None when no section holds it."""
    if not digits.isdigit():
        return None
    number = int(digits)
    return next((letter for letter, (_, first, last) in SECTIONS.items() if first <= number <= last), None)


def _plain(name: str) -> str:
    """A name as compared: NFKC, no spaces, Chinese and Latin commas alike."""
    return "".join(unicodedata.normalize("NFKC", name).split()).replace(",", "、")


def code_problem(code: str) -> str | None:
    """Why ``code`` (letter and two digits, as the schema's pattern has it) is no GB/T 4754-2017 division, or None."""
    letter, digits = code[:1], code[1:]
    section = section_of(digits)
    if section is None:
        return f"行业代码 {code} 不是 GB/T 4754-2017 的大类代码：大类代码为 01 至 97，请核对"
    if section != letter:
        return (f"行业代码 {code} 的门类字母应为 {section}：大类 {digits}（{DIVISIONS[digits]}）属于门类 {section}"
                f"（{SECTIONS[section][0]}），应写作 {section}{digits}")
    return None


def name_problem(code: str, name: str) -> tuple[bool, str] | None:
    """(is_error, message) when ``name`` is not the name of division ``code`` (a valid one), or None.

    Another division's name, or no division's: an error. The GB/T 4754-2011 name, a shortened name (a part of the right
    one, such as 通用设备制造 or 通用设备) or the right name written with other spaces or commas: a warning."""
    digits = code[1:]
    right = DIVISIONS[digits]
    if name == right:
        return None
    plain = _plain(name)
    head = f"行业代码 {code} 的名称应为“{right}”，现为“{name}”"
    others = [f"{section_of(d)}{d}" for d, n in DIVISIONS.items()
              if d != digits and _plain(n) == plain]
    if others:
        return True, f"{head}（这是 {others[0]} 的名称）：请核对行业代码和名称"
    if plain == _plain(right):
        return False, f"{head}：请照 GB/T 4754-2017 原样书写（空格、标点不同）"
    if plain == _plain(OLDER_NAMES.get(digits, "")):
        return False, f"{head}（“{name}”是 GB/T 4754-2011 的旧名称）：请改为 2017 年版的名称"
    if len(plain) >= 2 and plain in _plain(right):
        return False, f"{head}（简称或不完整）：请写全称"
    return True, f"{head}：这不是 GB/T 4754-2017 任何大类的名称，请核对行业代码和名称"
