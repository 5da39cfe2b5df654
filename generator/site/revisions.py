"""Dated changes of policy.yml's values, as the public reads them (ARCHITECTURE.md section 7): each change with what
(the value's label), old -> new in the guide's units, from which day and by which 文号, on the policy page (a note
above the measures' text, which is shown as issued) and in the guide (the values in force on the data date, the
changes decided for a later date announced). The changes come from ``PolicyHistory.changes``; data/policy.json
(``opendata.policy_json``) carries the same facts for programs.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

from markupsafe import Markup

from generator.labels import POLICY_VALUE_ZH, RECENT_YEARS_MODE_ZH, REVISION_STATE_ZH, STATUS_ZH
from generator.policy import Change
from generator.site.escape import md


def label(key: str) -> str:
    """What the value is, in words (labels.POLICY_VALUE_ZH; the key itself for a value without a label)."""
    return POLICY_VALUE_ZH.get(key, (key, ""))[0]


def shown(key: str, value: Any) -> str:
    """A value as the guide writes it, with its unit: 500 万元, 5 年, 20%, 90 天; a date, a code or a text as written."""
    unit = POLICY_VALUE_ZH.get(key, (key, ""))[1]
    if key == "recent_years_mode":
        return RECENT_YEARS_MODE_ZH.get(str(value), str(value))
    if key == "priority_support_statuses":
        return "、".join(STATUS_ZH.get(str(v), str(v)) for v in value)
    if isinstance(value, tuple):
        return "、".join(map(str, value))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        return str(value)
    number = Fraction(value) / 10_000 if unit == "万元" else Fraction(value)
    text = str(number.numerator) if number.denominator == 1 else f"{float(number):g}"
    return f"{text}%" if unit == "%" else f"{text} {unit}" if unit else text


def state(change: Change, today: date) -> str:
    """in_force when the change applies on the data date ``today``, else coming (decided for a later date)."""
    return "in_force" if change.day <= today else "coming"


def _item(change: Change) -> Markup:
    """One change in a sentence: what: old → new, from which day, by which 文号."""
    document = _whole(f"（{change.reference}）") if change.reference else "（修订文件的文号未登记）"
    return Markup(f"<strong>{md(label(change.key))}</strong>：{_whole(shown(change.key, change.before))} "
                  f"{_whole('→ ' + shown(change.key, change.after))}，<time>{change.day.isoformat()}</time> 起施行{document}")


def _whole(text: str) -> Markup:
    """A short value (3 年, 500 万元) or a 文号 with its brackets, kept on one line on a phone."""
    return Markup(f'<span class="ipreg-nowrap">{md(text)}</span>') if len(text) <= 24 else md(text)


def policy_note(changes: list[Change], today: date) -> Markup:
    """The policy page's note above the measures' text (empty without a change): the text is shown as issued, and the
    values it states that a change replaced are listed, those in force and those decided for a later date."""
    if not changes:
        return Markup("")
    parts = ['<div class="ipreg-measures-status ipreg-revisions" role="note" id="revisions">',
             "<p><strong>数值的修订</strong>：下方原文照录印发时的文本，未作改动。下列数值已经修订，原文中写明的相应数值"
             "自施行之日起以修订后的为准（评估日在施行之日以前的决定不受影响）：</p>"]
    for key, heading in REVISION_STATE_ZH.items():
        if group := [c for c in changes if state(c, today) == key]:
            parts.append(f"<p>{heading}：</p>\n<ul>\n" + "".join(f"<li>{_item(c)}</li>\n" for c in group) + "</ul>")
    return Markup("\n".join(parts) + "\n</div>\n\n")


def guide_note(changes: list[Change], today: date) -> str:
    """The guide's paragraph after the conditions (empty without a change): the values above are those in force on
    the data date; the changes decided for a later date are announced, the ones already in force listed."""
    if not changes:
        return ""
    out = [f"\n**数值的修订**：以上数值是本站数据日期 <time>{today.isoformat()}</time> 施行的数值。"
           "评估日（作出备案或复核决定之日）在修订施行之日及以后的，按修订后的数值审核；有效期、保留资格期和禁止申请期按各自开始之日施行的数值计算，"
           "已经开始的不受影响。\n"]
    for key in ("coming", "in_force"):  # what is about to change first: an applicant plans by it
        if group := [c for c in changes if state(c, today) == key]:
            out.append(f"\n{REVISION_STATE_ZH[key]}的修订：\n\n" + "".join(f"- {_item(c)}\n" for c in group))
    return "".join(out)
