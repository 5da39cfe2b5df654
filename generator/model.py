"""Frozen dataclasses for a record, built only after the schema has passed (str -> date)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from generator.loader import Positions

Day = date  # alias for classes that have a field named `date`


def _enum(*path: str | int) -> tuple[str, ...]:
    """The values a field may take, from the schema (the one source of shapes and enumerations)."""
    from generator.schema import ENTERPRISE_SCHEMA, field_schema, load_schema

    return tuple(str(v) for v in field_schema(load_schema(ENTERPRISE_SCHEMA), path)["enum"])


EVENT_TYPES = _enum("events", 0, "type")
HONOR_TYPES = _enum("honors", 0, "type")
TERM_EVENTS = ("filed", "review_passed")  # the decisions that start a term


_d = date.fromisoformat
def _od(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(value)


@dataclass(frozen=True)
class Patent:
    index: int
    number: str
    type: str
    title: str
    granted: date
    ended: date | None
    core: bool

    def valid_on(self, day: date) -> bool:
        return self.granted <= day and (self.ended is None or day < self.ended)


@dataclass(frozen=True)
class Trademark:
    index: int
    number: str
    name: str
    registered: date
    expires: date
    main_business: bool

    def valid_on(self, day: date) -> bool:
        return self.registered <= day <= self.expires


@dataclass(frozen=True)
class Honor:
    index: int
    type: str
    certificate: str | None
    awarded: date
    expires: date | None

    def valid_on(self, day: date) -> bool:
        return self.awarded <= day and (self.expires is None or day <= self.expires)


@dataclass(frozen=True)
class Infringement:
    index: int
    date: Day
    kind: str
    authority: str
    document: str | None


@dataclass(frozen=True)
class AbnormalApplication:
    index: int
    notified: date
    rectified: date | None


@dataclass(frozen=True)
class Dishonesty:
    index: int
    list: str
    listed: date
    removed: date | None
    credit_repair_certificate: str | None

    def listed_on(self, day: date) -> bool:
        return self.listed <= day and (self.removed is None or day < self.removed)


@dataclass(frozen=True)
class Violation:
    """A 重大违法违规 that is neither an infringement finding nor a dishonesty listing (Art. 8(5)), with its document."""

    index: int
    date: Day
    authority: str
    document: str
    summary: str


@dataclass(frozen=True)
class Standard:
    version: str
    status: str
    certificate: str | None
    since: date


@dataclass(frozen=True)
class IPManagement:
    leader: str
    managers: int
    budget: int
    agencies: tuple[str, ...]
    policies: tuple[str, ...]
    standard: Standard


@dataclass(frozen=True)
class IndustryStanding:
    """Art. 5(3) 领先: the bureau's finding that the enterprise leads its industry, and its basis."""

    scope: str  # county | province
    basis: str
    document: str | None


@dataclass(frozen=True)
class FinanceYear:
    index: int
    year: int
    revenue: int
    patent_revenue: int


@dataclass(frozen=True)
class TrainingYear:
    index: int
    year: int
    management_rd_total: int
    management_rd_trained: int
    employees_total: int
    employees_trained: int


@dataclass(frozen=True)
class Assessment:
    """Art. 7 审核: who reviewed (a role, never a name), the opinion and its date."""

    by: str
    opinion: str
    date: Day


@dataclass(frozen=True)
class Event:
    index: int
    date: Day
    type: str
    document: str | None = None
    certificate: str | None = None
    valid_until: Day | None = None
    note: str | None = None
    category: str | None = None  # the category of the term a filed / review_passed starts (design section 10)
    assessment: Assessment | None = None
    delivered: Day | None = None  # the certificate handed over (Art. 8(4))
    recovered: Day | None = None  # the certificate taken back after a revocation (Art. 8(5))


class Service(NamedTuple):
    """One service of Art. 11 (design section 10). The three kinds of entry are named tuples: a record has dozens, and a
    tuple is made four times faster than a frozen dataclass."""

    index: int  # type: ignore[assignment]  # a field, in place of tuple.index (no entry is searched)
    date: Day
    kind: str
    title: str
    document: str | None = None
    provider: str | None = None
    result: str | None = None
    amount: int | None = None
    lender: str | None = None
    participants: int | None = None


class PrioritySupport(NamedTuple):
    """One priority support of Art. 13."""

    index: int  # type: ignore[assignment]  # a field, in place of tuple.index (no entry is searched)
    date: Day
    programme: str
    outcome: str
    document: str | None = None


class Supervision(NamedTuple):
    """One supervision entry of Art. 3 日常监管."""

    index: int  # type: ignore[assignment]  # a field, in place of tuple.index (no entry is searched)
    date: Day
    kind: str
    finding: str
    document: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Record:
    """One enterprise. ``file`` and ``positions`` let every rule point at a line."""

    file: str
    positions: Positions
    uscc: str
    name: str
    established: date | None  # None only in an imported record (imported_on): what the list did not state
    legal_person: bool
    industry_code: str
    industry_name: str
    main_products: tuple[str, ...]
    category: str
    compliance_industrial: bool
    compliance_environmental: bool
    events: tuple[Event, ...]
    address: str | None = None
    website: str | None = None
    recommendation: str | None = None
    patents: tuple[Patent, ...] = ()
    trademarks: tuple[Trademark, ...] = ()
    copyrights: tuple[tuple[str, str], ...] = ()
    trade_secret_measures: bool | None = None
    infringements: tuple[Infringement, ...] = ()
    abnormal_applications: tuple[AbnormalApplication, ...] = ()
    dishonesty: tuple[Dishonesty, ...] = ()
    violations: tuple[Violation, ...] = ()
    honors: tuple[Honor, ...] = ()
    ip_management: IPManagement | None = None
    industry_standing: IndustryStanding | None = None
    conduct_given: bool = True  # False: the record has no `conduct` at all (never read as "nothing to report")
    key_industry: str | None = None  # the basis on which it fits Henan's key industries (Art. 4(5)), if stated
    finance: tuple[FinanceYear, ...] = ()
    training: tuple[TrainingYear, ...] = ()
    imported_source: str | None = None  # imported: {source, on} (ipreg import; design section 11)
    imported_on: date | None = None
    services: tuple[Service, ...] = ()
    priority_support: tuple[PrioritySupport, ...] = ()
    supervision: tuple[Supervision, ...] = ()
    recommended_by: str | None = None  # Art. 6
    compliance_basis: str | None = None  # Art. 4(2): the document the finding rests on, and when it was confirmed
    compliance_confirmed: date | None = None

    def imported_decision(self, day: date | None) -> bool:
        """A decision of ``day`` is imported history (on or before imported.on): Art. 4-6 are not re-judged for it."""
        return self.imported_on is not None and day is not None and day <= self.imported_on

    def at(self, *path: str | int) -> tuple[int, int]:
        return self.positions.at(tuple(path))

    def finance_for(self, year: int) -> FinanceYear | None:
        return next((f for f in self.finance if f.year == year), None)

    def training_for(self, year: int) -> TrainingYear | None:
        return next((t for t in self.training if t.year == year), None)

    def term_category(self, event: Event | None = None, on: date | None = None) -> str:
        """The category of a term (design section 10) for the site, documents and statistics: that of ``event``, or of the
        last filed / review_passed on or before ``on``; the record's ``category`` when that event carries none."""
        terms = [e for e in self.events if e.type in TERM_EVENTS and on is not None and e.date <= on]
        event = event or max(terms, key=lambda e: (e.date, e.index), default=None)
        return event.category if event is not None and event.category else self.category


def build_record(data: dict[str, Any], file: str, positions: Positions) -> Record:
    """Typed record from data that has passed the enterprise schema."""
    standing = data.get("industry_standing")
    industry = data.get("industry") or {"code": "", "name": ""}  # absent only in an imported record
    compliance = data.get("compliance") or {"industrial_policy": False, "environmental": False}
    imported = data.get("imported") or {}
    return Record(
        file=file,
        positions=positions,
        uscc=data["uscc"],
        name=data["name"],
        established=_od(data.get("established")),
        legal_person=bool(data.get("legal_person", False)),
        industry_code=industry["code"],
        industry_name=industry["name"],
        main_products=tuple(data.get("main_products", ())),
        category=data["category"],
        compliance_industrial=compliance["industrial_policy"],
        compliance_environmental=compliance["environmental"],
        events=tuple(_event(i, e) for i, e in enumerate(data["events"])),
        address=data.get("address"),
        website=data.get("website"),
        recommendation=data.get("recommendation"),
        **_holdings(data),
        trade_secret_measures=data.get("trade_secret_measures"),
        **_conduct(data.get("conduct") or {}),
        ip_management=_ip_management(data.get("ip_management")),
        industry_standing=None if standing is None else IndustryStanding(standing["scope"], standing["basis"], standing.get("document")),
        conduct_given="conduct" in data,
        key_industry=(data.get("key_industry") or {}).get("basis"),
        imported_source=imported.get("source"),
        imported_on=_od(imported.get("on")),
        finance=tuple(FinanceYear(i, f["year"], f["revenue"], f["patent_revenue"]) for i, f in enumerate(data.get("finance", ()))),
        training=tuple(
            TrainingYear(i, t["year"], t["management_rd_total"], t["management_rd_trained"], t["employees_total"], t["employees_trained"])
            for i, t in enumerate(data.get("training", ()))
        ),
        **_cultivation(data),
        recommended_by=data.get("recommended_by"),
        compliance_basis=compliance.get("basis"),
        compliance_confirmed=_od(compliance.get("confirmed")),
    )


def _event(i: int, e: dict[str, Any]) -> Event:
    a = e.get("assessment")
    return Event(i, _d(e["date"]), e["type"], e.get("document"), e.get("certificate"), _od(e.get("valid_until")), e.get("note"),
                 e.get("category"), None if a is None else Assessment(a["by"], a["opinion"], _d(a["date"])),
                 _od(e.get("delivered")), _od(e.get("recovered")))


def _cultivation(data: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    """Services (Art. 11), priority support (Art. 13) and supervision (Art. 3), each with its index in the file."""
    return {
        "services": tuple(
            Service(i, _d(x["date"]), x["kind"], x["title"], x.get("document"), x.get("provider"), x.get("result"),
                    x.get("amount"), x.get("lender"), x.get("participants"))
            for i, x in enumerate(data.get("services", ()))
        ),
        "priority_support": tuple(
            PrioritySupport(i, _d(x["date"]), x["programme"], x["outcome"], x.get("document"))
            for i, x in enumerate(data.get("priority_support", ()))
        ),
        "supervision": tuple(
            Supervision(i, _d(x["date"]), x["kind"], x["finding"], x.get("document"), x.get("note"))
            for i, x in enumerate(data.get("supervision", ()))
        ),
    }


def _holdings(data: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    """Patents, trademarks, copyrights and honours, each with its index in the file."""
    return {
        "patents": tuple(
            Patent(i, p["number"], p["type"], p["title"], _d(p["granted"]), _od(p.get("ended")), bool(p.get("core", False)))
            for i, p in enumerate(data.get("patents", ()))
        ),
        "trademarks": tuple(
            Trademark(i, t["number"], t["name"], _d(t["registered"]), _d(t["expires"]), bool(t.get("main_business", False)))
            for i, t in enumerate(data.get("trademarks", ()))
        ),
        "copyrights": tuple((c["number"], c["title"]) for c in data.get("copyrights", ())),
        "honors": tuple(
            Honor(i, h["type"], h.get("certificate"), _d(h["awarded"]), _od(h.get("expires")))
            for i, h in enumerate(data.get("honors", ()))
        ),
    }


def _conduct(conduct: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    """The conduct section (Art. 4(4)): infringements, abnormal patent applications, dishonesty lists; other violations
    (Art. 8(5))."""
    return {
        "infringements": tuple(
            Infringement(i, _d(x["date"]), x["kind"], x["authority"], x.get("document"))
            for i, x in enumerate(conduct.get("infringements", ()))
        ),
        "abnormal_applications": tuple(
            AbnormalApplication(i, _d(x["notified"]), _od(x.get("rectified")))
            for i, x in enumerate(conduct.get("abnormal_patent_applications", ()))
        ),
        "dishonesty": tuple(
            Dishonesty(i, x["list"], _d(x["listed"]), _od(x.get("removed")), x.get("credit_repair_certificate"))
            for i, x in enumerate(conduct.get("dishonesty", ()))
        ),
        "violations": tuple(
            Violation(i, _d(x["date"]), x["authority"], x["document"], x["summary"]) for i, x in enumerate(conduct.get("violations", ()))
        ),
    }


def _ip_management(ipm: dict[str, Any] | None) -> IPManagement | None:
    if ipm is None:
        return None
    std = ipm["standard"]
    return IPManagement(
        ipm["leader"], ipm["managers"], ipm["budget"], tuple(ipm.get("agencies", ())), tuple(ipm.get("policies", ())),
        Standard(std["version"], std["status"], std.get("certificate"), _d(std["since"])),
    )
