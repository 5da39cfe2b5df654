"""The commented Chinese template that ``ipreg new`` writes for a new enterprise.

Every ``待填写`` is a placeholder: it fails the schema (dates, numbers) or the placeholder check
until a clerk replaces it; once all are filled with real values the record passes ``ipreg check``.
"""

from __future__ import annotations

import json

from generator.schema import PLACEHOLDER

assert PLACEHOLDER == "待填写"

TEMPLATE = """\
# yaml-language-server: $schema=../schemas/enterprise.schema.json
# 由 ipreg new 生成。请把所有“待填写”替换为实际内容，不适用的可选项可以删除；保存后运行 ipreg check。
# 书写要点：编号加引号；日期写作 YYYY-MM-DD；金额写整数元，不写逗号；只写职务和人数，不写姓名和电话。

uscc: "@USCC@"                # 统一社会信用代码，须与文件名一致
name: @NAME@                  # 企业名称（营业执照上的全称）
established: 待填写           # 成立日期，如 2015-03-01（第四条第一项：连续经营 3 年以上）
legal_person: true            # 具有独立法人资格：true 或 false
industry:
  code: 待填写                # 国民经济行业分类大类代码，如 C35
  name: 待填写                # 大类名称，如 专用设备制造业
main_products:                # 主营产品（服务），每项一行
  - 待填写
# address: 西平县……            # 企业地址（可选，会公开）
# website: https://……         # 企业网站（可选，会公开；须以 http:// 或 https:// 开头）
category: advantage           # advantage：知识产权优势企业（第五条）；reserve：储备企业（第六条）
# recommendation: ……           # 储备企业必填：在行业内知识产权工作的特色和成效
# recommended_by: ……           # 储备企业：推荐单位（第六条：乡镇、行业协会或县局）
compliance:                   # 第四条第二项
  industrial_policy: true     # 符合国家、省产业发展政策
  environmental: true         # 符合环保要求
  # basis: ……                 # 备案机关填写：合规结论所依据的文件
  # confirmed: 2026-01-10     # 备案机关填写：确认合规的日期

patents:                      # 专利，每件一项（第四条第三项、第五条第三项）
  - number: "待填写"          # 申请号，加引号，如 "202010566088.9"（可带 ZL 前缀）
    type: invention           # invention 发明 / utility_model 实用新型 / design 外观设计
    title: 待填写             # 专利名称
    granted: 待填写           # 授权公告日
    core: true                # 是否支撑主要产品（核心专利）；不是则删除此行
trademarks:                   # 注册商标，一个注册号一项
  - number: "待填写"          # 注册号，只写数字并加引号，如 "12345678"
    name: 待填写              # 商标名称
    class: 待填写             # 尼斯分类号，1 至 45
    registered: 待填写        # 注册日期
    expires: 待填写           # 有效期至
    main_business: true       # 用于主营产品（业务）；不是则删除此行

trade_secret_measures: true   # 第五条第四项：是否采取商业秘密保护措施（true 或 false，须明确填写）
industry_standing:            # 第五条第三项：本地区或省内同行业领先（备案机关的认定）
  scope: county               # county 本地区（县内）/ province 省内
  basis: 待填写               # 认定依据，如 县内同行业发明专利授权量第一（某年统计）
conduct:                      # 第四条第四项；没有则保留空列表 []，表示“无”（有备案决定后必须填写）
  infringements: []           # 侵权认定：- {date: 日期, kind: administrative/judicial, authority: 机关, document: 文书编号}
  abnormal_patent_applications: []   # 非正常专利申请：- {notified: 通报日期, rectified: 整改日期}
  dishonesty: []              # 严重违法失信名单：- {list: 名单, listed: 列入日期, removed: 移出日期}
  # violations:               # 其他重大违法违规（撤销的事实）：- {date: 日期, authority: 机关, document: 文书, summary: 事实}
honors: []                    # 荣誉称号（第四条第五项）：- {type: high_tech, certificate: "证书号", awarded: 日期, expires: 日期}

ip_management:                # 第五条第一、二项
  leader: 待填写              # 分管领导的职务，如 总工程师（不写姓名）
  managers: 待填写            # 知识产权管理人员人数
  budget: 待填写              # 年度知识产权专项经费（元）
  agencies: [待填写]          # 利用的知识产权服务（中介）机构名称，可写多个；没有则写 []（会提示核实）
  policies: [management, incentive, constraint]   # 已建立的管理、激励、约束制度
  standard:
    version: "2023"           # GB/T 29490 版本："2013" 或 "2023"
    status: implemented       # implementing 正在开展实施 / implemented 已实施 / certified 已认证（须加 certificate: 证书编号）
    since: 待填写             # 开始实施或取得认证的日期

finance:                      # 第五条第五项：申报日期（备案后为决定日期）前一年度
  - year: 待填写              # 年度，如 2025
    revenue: 待填写           # 营业收入（元）
    patent_revenue: 待填写    # 专利相关产品与服务收入（元）
training:                     # 第五条第六项：同一年度的培训人数
  - year: 待填写
    management_rd_total: 待填写     # 管理层及研发人员人数
    management_rd_trained: 待填写   # 其中受训人数
    employees_total: 待填写         # 员工人数
    employees_trained: 待填写       # 其中受训人数

events:                       # 按日期从早到晚；第一条是申报
  - date: 待填写              # 申报日期，如 2026-01-05（申报中的备案条件按此日期评估）
    type: applied             # 申报（不公开）
# 备案决定下发后在下面加：
#  - date: 2026-01-15         # 决定日期
#    type: filed              # 备案确定
#    document: 西市监〔2026〕1号
#    category: advantage      # 这一期的类别
#    assessment: {by: 县局知识产权股, opinion: 符合备案条件, date: 2026-01-12}   # 第七条审核（写职务，不写姓名）
# 通过备案后，服务（第十一条）、优先支持（第十三条）用 ipreg service、ipreg priority 录入；
# 日常监管（第三条）写在 supervision：- {date: 日期, kind: routine, finding: none}
"""


def render_template(uscc: str, name: str) -> str:
    """The template for ``uscc`` and ``name`` (the name quoted so any text stays literal)."""
    return TEMPLATE.replace("@USCC@", uscc).replace("@NAME@", json.dumps(name, ensure_ascii=False))
