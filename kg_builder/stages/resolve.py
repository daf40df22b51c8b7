"""Resolve stage: mentions become entities and facts.

- places: a name that is both a province and a county is read as the county when
  the article says "شهرستان" or when that county lies in the article's main province;
- officials: a person is bound to a role by apposition ("X، مدیرکل ..." / "مدیرکل ... X")
  or, in the news-lead pattern, by position: a role that opens a sentence ("مدیرکل
  بهزیستی استان Y گفت") and a name that opens a nearby one ("X افزود") are one person;
- programmes and the hotline: one entity per normalised name, the hotline one individual;
- statistics: one fact per (value, unit, counted noun, approximation), every
  statement of it kept as evidence.
Entity keys are natural and global, so the same thing is one node across articles.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from ..config import Config
from .. import iri
from ..iri import fold
from ..model import Document, Entity, Fact, Mention, Span
from ..resources import lexicons
from ..text.periods import find_periods

NATIONAL_WELFARE = Entity("Organization", "welfare", "سازمان بهزیستی کشور",
                          (("level", "national"), ("en", "State Welfare Organization of Iran")))

# Words that may open a sentence before its subject: a dateline ("زنجان - ایرنا -"),
# "به گزارش ...،", and discourse words.
_SUBJECT_PREFIX = re.compile(
    r"\s*(?:[^\s\-–]+(?:[ \u200c][^\s\-–]+){0,2}\s[-–]\s(?:[^\s\-–]+(?:[ \u200c][^\s\-–]+){0,3}\s[-–]\s*)?)?"
    r"(?:به\s+گزارش[^،,\n]{1,120}[،,]\s*)?"
    r"(?:(?:در\s+(?:ادامه|حاشیه|پایان|آغاز|ابتدای)|همچنین|سپس|نیز)"
    r"(?:\s+(?:این|آن)\s+[^\s،,]+(?:[ \u200c][^\s،,]+)?)?\s*[،,]?\s+)?"
)


def _body_mentions(doc: Document) -> list[Mention]:
    return [m for m in doc.mentions if doc.in_body(m.start, m.end)]


# ---------------------------------------------------------------- places

def _places(doc: Document, mentions: list[Mention]) -> tuple[list[tuple[Mention, str, str]], str | None]:
    """[(mention, kind, key)] and the article's main province key."""
    counties = {c["key"]: c for c in lexicons.counties()}
    tally: Counter[str] = Counter()
    first: dict[str, int] = {}
    doubtful_names = []
    for m in mentions:
        cands = m.get("candidates")
        provs = [k for kind, k in cands if kind == "province"]
        elsewhere = [k for kind, k in cands if kind == "county" and provs and counties[k]["province"] != provs[0]]
        if provs and (_scope(m) == "استان" or not elsewhere):
            tally[provs[0]] += 1
            first.setdefault(provs[0], m.start)
        elif provs:
            doubtful_names.append((m, provs[0], {counties[k]["province"] for k in elsewhere}))
    for m, prov, other in doubtful_names:  # البرز: the province, unless the article is about the county's
        if not other & set(tally):
            tally[prov] += 1
            first.setdefault(prov, m.start)
    for m in mentions:  # names that are also counties still count, less
        for kind, k in m.get("candidates"):
            if kind == "province" and k not in tally:
                first.setdefault(k, m.start)
    main = min(tally, key=lambda k: (-tally[k], first[k])) if tally else None
    decided: dict[int, tuple[str, str]] = {}
    doubtful: dict[int, str] = {}
    # A county counts where the article names it as one (شهرستان X) or lists it beside one;
    # a bare name elsewhere in the article then refers to that county too.
    named_as_county = {k for m in mentions if _scope(m) == "شهرستان"
                       for kind, k in m.get("candidates") if kind == "county"}
    for i, m in enumerate(mentions):
        cands, scope = m.get("candidates"), _scope(m)
        provs = [k for kind, k in cands if kind == "province"]
        local = [k for kind, k in cands if kind == "county" and counties[k]["province"] == main]
        anywhere = [k for kind, k in cands if kind == "county"]
        named = [k for k in anywhere if k in named_as_county]
        if scope == "شهر":
            continue  # a city, not the county of the same name
        if scope == "شهرستان" and provs and _plural(m):  # "همه شهرستان‌های قزوین": the province
            decided[i] = ("Province", provs[0])
        elif scope == "شهرستان" and anywhere:
            decided[i] = ("County", (local or anywhere)[0])
        elif provs and (scope == "استان" or not local or provs[0] == main):
            decided[i] = ("Province", provs[0])
        elif named and not provs:
            decided[i] = ("County", named[0])
        elif local:
            doubtful[i] = local[0]  # a county only when listed beside another county
        elif provs:
            decided[i] = ("Province", provs[0])
    listed = {i for i, m in enumerate(mentions) if _scope(m) == "شهرستان" and decided.get(i, ("",))[0] == "County"}
    for i, m in enumerate(mentions):  # "شهرستان‌های بم، سیرجان و کهنوج": the scope covers the list
        if i - 1 not in listed or _scope(m) in ("استان", "شهر") or not _coordinated(doc.text, mentions[i - 1], m):
            continue
        province = counties[decided[i - 1][1]]["province"]
        same = [k for kind, k in m.get("candidates") if kind == "county" and counties[k]["province"] == province]
        if same:
            decided[i] = ("County", same[0])
            doubtful.pop(i, None)
            listed.add(i)
    for i, key in doubtful.items():
        m = mentions[i]
        near = [j for j, (kind, _) in decided.items() if kind == "County" and (
            _coordinated(doc.text, mentions[j], m) or _coordinated(doc.text, m, mentions[j]))]
        near += [j for j in doubtful if j != i and (  # two county names of the province listed together
            _coordinated(doc.text, mentions[j], m) or _coordinated(doc.text, m, mentions[j]))]
        if near:
            decided[i] = ("County", key)
        elif any(k == "province" for k, _ in m.get("candidates")):
            decided[i] = ("Province", next(k for kind, k in m.get("candidates") if kind == "province"))
    return [(mentions[i], *decided[i]) for i in sorted(decided)], main


_AGENCY_NAME_BEFORE = re.compile(r"(?:خبرگزاری|خبرنگار|روزنامه|شبکه|رادیو)\s+$")
_DASH_AFTER = re.compile(r"\s*[-–]\s")
_BUREAU_BEFORE = re.compile(r"(?:خبرگزاری|خبرنگاران?|گزارش|دفتر)(?:\s+[^\s،,.:؛]+){0,3}\s+(?:از\s+|در\s+)?$")


def _outlet_place(text: str, m: Mention, kind: str) -> bool:
    """A place that names an outlet ("خبرگزاری فارس") or, for a city, its bureau
    ("خبرنگار باشگاه خبرنگاران جوان زاهدان", "به گزارش ایسنا از رشت"): not what the article is about."""
    before = text[max(0, m.start - 60):m.start]
    if _AGENCY_NAME_BEFORE.search(before):
        return True
    if kind != "County":
        return False
    line_start = text.rfind("\n", 0, m.start) + 1
    dateline = not text[line_start:m.start].strip() and _DASH_AFTER.match(text, m.end)  # "شیراز - ایرنا -"
    return bool(dateline) or _BUREAU_BEFORE.search(before) is not None


def _scope(m: Mention) -> str:
    """"استان", "شهرستان" or "شهر" (plural or not) when the name follows one, else ""."""
    return re.sub(r"[\u200c ]*(?:ها|های)?$", "", m.get("scope") or "").strip()


def _plural(m: Mention) -> bool:
    return (m.get("scope") or "").rstrip().endswith(("ها", "های"))


def _coordinated(text: str, a: Mention, b: Mention) -> bool:
    """``a`` and ``b`` stand in one list: "آوج و البرز", "آوج، البرز"."""
    return a.end <= b.start and re.fullmatch(r"\s*(?:و|،|,)\s*", text[a.end:b.start]) is not None


def _place_entity(kind: str, key: str) -> Entity:
    if kind == "Province":
        p = lexicons.province(key)
        return Entity("Province", key, p["fa"], (("en", p.get("en")), ("iso", p.get("iso"))))
    c = lexicons.county(key)
    return Entity("County", key, c["fa"], (("en", c.get("en")), ("province", c["province"])))


# ---------------------------------------------------------------- organisations and roles

def _province_of(place: tuple[str, str]) -> str:
    """The province key of a resolved ("Province" | "County", key) place."""
    kind, key = place
    return key if kind == "Province" else lexicons.county(key)["province"]


def _trailing_place(m: Mention, places: dict[tuple[int, int], tuple[str, str]]) -> tuple[str, str] | None:
    """The resolved place a role or body phrase ends with (مدیرکل بهزیستی استان فارس), if any."""
    if not m.get("place"):
        return None
    return places.get((m.end - len(m.get("place")), m.end))


def _organisation(role: Mention, main: str | None, places: dict[tuple[int, int], tuple[str, str]]) -> Entity | None:
    level, org = role.get("level"), role.get("org")
    if org == "other":  # مدیر مرکز شبه خانواده ...: a body the gazetteer does not know
        inside = [v for (a, b), v in places.items() if role.start <= a and b <= role.end]
        province = _province_of(inside[0]) if inside else main
        attrs = (("level", "body"),) + ((("province", province),) if province else ())
        return Entity("Organization", f"other/{fold(role.get('body'))}", role.get("body"), attrs)
    place = _trailing_place(role, places)
    province = _province_of(place) if place else main
    if org == "welfare":
        if level == "national":
            return NATIONAL_WELFARE
        if level == "county" and place and place[0] == "County":
            c = lexicons.county(place[1])
            return Entity("Organization", f"welfare/{place[1]}", f"اداره بهزیستی شهرستان {c['fa']}",
                          (("level", "county"), ("county", place[1]), ("province", c["province"])))
        if not province:
            return None
        p = lexicons.province(province)
        return Entity("Organization", f"welfare/{province}", f"اداره کل بهزیستی استان {p['fa']}",
                      (("level", "province"), ("province", province)))
    if not place:
        return None
    label_word = {"governor": "استانداری", "county-governor": "فرمانداری"}.get(org)
    body_key = {"governor": "governorate", "county-governor": "county-governorate"}.get(org, org)
    name = place_label = _place_entity(*place).label
    label = f"{label_word} {place_label}" if label_word else f"{role.get('title')} {name}"
    return Entity("Organization", f"{body_key}/{place[1]}", label,
                  (("level", "county" if place[0] == "County" else "province"),
                   ("province", province), (place[0].lower(), place[1])))


def _with_parents(org: Entity) -> list[Entity]:
    """An organisational unit and the units above it (county office → directorate → national)."""
    if not org.key.startswith("welfare/"):
        return [org]
    out = [org, NATIONAL_WELFARE]
    if org.get("level") == "county":
        p = lexicons.province(org.get("province"))
        out.append(Entity("Organization", f"welfare/{p['key']}", f"اداره کل بهزیستی استان {p['fa']}",
                          (("level", "province"), ("province", p["key"]))))
    return out


def _role_entity(role: Mention) -> Entity:
    slug = role.get("slug")
    label = lexicons.canonical_title(slug)  # رئیس / رییس, مدیرکل / مدیر کل: one spelling per role
    if role.get("domain"):
        slug = f"{slug}-{role.get('domain')}"
        label = f"{label} {role.get('domain_fa')}"
    if role.get("unit"):  # رئیس گروه اورژانس اجتماعی: a post of its own
        unit = re.sub(r"\s+", " ", role.get("unit"))
        slug = f"{slug}-{iri.slug(fold(unit))}"
        label = f"{label} {unit}"
    return Entity("Role", slug, label, (("category", role.get("category")),))


# ---------------------------------------------------------------- people

@dataclass
class _Person:
    name: str
    surname: str
    titles: tuple[str, ...]
    mentions: list[Mention] = field(default_factory=list)
    roles: list[Mention] = field(default_factory=list)


def _people(mentions: list[Mention]) -> dict[str, _Person]:
    people: dict[str, _Person] = {}
    for m in mentions:
        if m.kind != "person":
            continue
        name = f"{m.get('given')} {m.get('surname')}"
        key = fold(name)
        p = people.setdefault(key, _Person(name, m.get("surname"), m.get("titles")))
        p.mentions.append(m)
        p.titles = tuple(dict.fromkeys(p.titles + m.get("titles")))
    return people


def _surname_mentions(doc: Document, people: dict[str, _Person]) -> list[tuple[Mention, str]]:
    """Later references by surname alone ("کریمی گفت", "دکتر کریمی")."""
    out = []
    taken = [(m.start, m.end) for p in people.values() for m in p.mentions]
    for key, p in people.items():
        rx = re.compile(rf"(?<![\w\u200c]){re.escape(p.surname)}(?![\w\u200c])")
        for m in rx.finditer(doc.text):
            if any(a <= m.start() < b for a, b in taken) or not doc.in_body(m.start(), m.end()):
                continue
            out.append((Mention("person", m.start(), m.end(), m.group(0)), key))
    return out


def _bind(doc: Document, people: dict[str, _Person], roles: list[Mention], window: int, identity):
    """Attach roles to people: apposition first, then the lead pattern by sentence position.

    Returns the body sentences and the subject events (position, sentence, kind, item)."""
    text = doc.text
    refs = sorted([(m, k) for k, p in people.items() for m in p.mentions] + _surname_mentions(doc, people),
                  key=lambda x: x[0].start)
    bound: set[int] = set()
    for role in roles:
        for m, key in refs:
            gap = text[m.end:role.start] if m.end <= role.start else text[role.end:m.start] if role.end <= m.start else None
            if gap is not None and len(gap) <= 3 and re.fullmatch(r"[\s،,:]*", gap):
                people[key].roles.append(role)
                bound.add(id(role))
                break
    sents = [(m.start, m.end) for m in doc.mentions if m.kind == "sentence" and doc.in_body(m.start, m.end)]

    def subject_of(start: int) -> int | None:
        for i, (a, b) in enumerate(sents):
            if a <= start < b:
                lead = _SUBJECT_PREFIX.match(text, a).end()
                return i if start <= lead else None
        return None

    events = []
    for role in roles:
        if role.get("org") == "other":
            continue  # a post in a body we do not know is taken only in apposition to a name
        i = subject_of(role.start)
        if i is not None:
            events.append((role.start, i, "role", role))
    for m, key in refs:
        i = subject_of(m.start)
        if i is not None:
            events.append((m.start, i, "person", key))
    events.sort(key=lambda e: e[0])
    _bind_events(people, events, bound, window, identity)
    return sents, events


def _bind_events(people: dict[str, _Person], events: list, bound: set[int], window: int, identity) -> None:
    pending_role: tuple[int, Mention] | None = None
    pending_person: tuple[int, str] | None = None
    for _, i, kind, item in events:
        if kind == "role":
            role = item
            if id(role) in bound:
                continue
            same = [k for k, p in people.items() if any(identity(r) == identity(role) for r in p.roles)]
            if same:
                people[same[0]].roles.append(role)
            elif pending_person and i - pending_person[0] <= window and not people[pending_person[1]].roles:
                people[pending_person[1]].roles.append(role)
                pending_person = None
            else:
                pending_role = (i, role)
        else:
            person = people[item]
            if pending_role and i - pending_role[0] <= window and not person.roles:
                person.roles.append(pending_role[1])
                pending_role = None
            elif not person.roles:
                pending_person = (i, item)


def _speakers(people: dict[str, _Person], sentences: int, events: list) -> list[str | None]:
    """Who speaks in each sentence: its subject if it names an official (by name or by a bound
    title), otherwise the previous speaker (وی، او، این مقام مسئول, or a quote going on)."""
    by_sentence: dict[int, str] = {}
    for _, i, kind, item in events:
        if i in by_sentence:
            continue
        if kind == "person" and people[item].roles:
            by_sentence[i] = item
        elif kind == "role":
            owner = next((k for k, p in people.items() if any(r is item for r in p.roles)), None)
            if owner:
                by_sentence[i] = owner
    out, current = [], None
    for i in range(sentences):
        current = by_sentence.get(i, current)
        out.append(current)
    return out


def _nearest(anchors: list[tuple[int, int, object]], start: int, end: int, lo: int, hi: int):
    """The anchor inside [lo, hi) closest to [start, end), preferring one that follows."""
    inside = [a for a in anchors if lo <= a[0] and a[1] <= hi and not (a[0] < end and start < a[1])]
    if not inside:
        return None
    return min(inside, key=lambda a: (a[0] - end) if a[0] >= end else 2 * (start - a[1]) + 1)[2]


# ---------------------------------------------------------------- the stage

def run(doc: Document, config: Config) -> Document:
    """Return ``doc`` with the entities it names and the facts it states."""
    body = _body_mentions(doc)
    entities: dict[tuple[str, str], Entity] = {}
    facts: list[Fact] = []

    def entity(e: Entity) -> Entity:
        return entities.setdefault((e.type, e.key), e)

    anchors: dict[str, list[tuple[int, int, tuple[str, str]]]] = {"about": [], "place": [], "group": []}

    def mention_fact(e: Entity, m: Mention, name_form: str | None = None, anchor: str = "about") -> None:
        facts.append(Fact("mention", (("entity", (e.type, e.key)), ("name_form", name_form)),
                          (doc.span(m.start, m.end),)))
        anchors[anchor].append((m.start, m.end, (e.type, e.key)))

    # places
    names = [(m.start, m.end) for m in body if m.kind == "person"]
    places = [m for m in body if m.kind == "place" and not any(a <= m.start < b for a, b in names)]
    resolved, main = _places(doc, places)
    resolved = [(m, kind, key) for m, kind, key in resolved if not _outlet_place(doc.text, m, kind)]
    place_at: dict[tuple[int, int], tuple[str, str]] = {}
    for m, kind, key in resolved:
        e = entity(_place_entity(kind, key))
        place_at[(m.start, m.end)] = (kind, key)
        mention_fact(e, m, anchor="place")
        if kind == "County":
            entity(_place_entity("Province", e.get("province")))

    # hotline and programmes
    hot = [m for m in body if m.kind == "hotline"]
    if all(m.get("bare") for m in hot):
        hot = []  # "اورژانس اجتماعی" alone names the service, not the line; it counts beside the line
    hot_spans = [(m.start, m.end) for m in hot]
    named = [m for m in hot if m.get("name")] or [m for m in hot if m.text.startswith("خط")]
    # one name per article: the fullest form the article uses (name and number over either alone)
    best = max(named, key=lambda m: (("اورژانس" in (m.get("name") or "")) + ("123" in (m.get("name") or m.text)),
                                     -m.start), default=None)
    for m in hot:
        e = entity(Entity("Hotline", "123", "اورژانس اجتماعی ۱۲۳"))
        mention_fact(e, m, re.sub(r"\s+", " ", m.get("name") or m.text) if m is best else None)
    programmes = [m for m in body if m.kind == "programme"
                  and not any(a <= m.start < b or m.start <= a < m.end for a, b in hot_spans)]
    for m in _outermost(programmes):
        name = re.sub(r"\s+", " ", m.text).strip()
        known = m.get("known")
        key = fold(known) if known else fold(name)
        e = entity(Entity("Programme", key, known or name, (("class", m.get("class")),)))
        mention_fact(e, m, name)

    # beneficiary groups and other public bodies
    for m in body:
        if m.kind == "group":
            g = next(g for g in lexicons.beneficiary_groups() if g["key"] == m.get("key"))
            mention_fact(entity(Entity("BeneficiaryGroup", g["key"], g["fa"], (("en", g["en"]),))), m, anchor="group")
        elif m.kind == "body":
            org = _body_entity(m, place_at, main)
            mention_fact(entity(org), m)
            for kind in ("province", "county"):
                if org.get(kind):
                    entity(_place_entity(kind.capitalize(), org.get(kind)))

    # officials
    people = _people(body)
    roles = [m for m in body if m.kind == "role"]

    def identity(role: Mention) -> tuple:
        """A post: the role and the organisation it resolves to (not how the text spells the place)."""
        org = _organisation(role, main, place_at)
        return _role_entity(role).key, org.key if org else None

    sents, events = _bind(doc, people, roles, config.int("resolve.bind_window"), identity)
    speakers = _speakers(people, len(sents), events)
    for key, p in people.items():
        if not p.roles:
            continue
        person = entity(Entity("Person", key, p.name, (("titles", p.titles),)))
        seen: dict[tuple, list[Span]] = {}
        for r in p.roles:
            org = _organisation(r, main, place_at)
            role = entity(_role_entity(r))
            if org:
                for unit in _with_parents(org):
                    entity(unit)
                if org.get("province"):
                    entity(_place_entity("Province", org.get("province")))
                if org.get("county"):
                    entity(_place_entity("County", org.get("county")))
            k = (role.key, org.key if org else None)
            seen.setdefault(k, []).append(doc.span(r.start, r.end))
        for (role_key, org_key), spans in seen.items():
            name_spans = [doc.span(m.start, m.end) for m in p.mentions]
            facts.append(Fact("membership", (("person", key), ("role", role_key), ("organization", org_key)),
                              tuple(dict.fromkeys(name_spans[:1] + spans))))

    # statistics, each with the context its sentence gives
    stats: dict[tuple, list[Span]] = {}
    attrs: dict[tuple, Mention] = {}
    for m in body:
        if m.kind != "quantity":
            continue
        # one figure however the unit is inflected (۱۲ درصد / ۱۲ درصدی); counts keep their noun
        noun = fold(m.get("unit_text") or "") if m.get("unit") == "count" else ""
        k = (m.get("value"), m.get("unit"), noun, m.get("approximate"))
        stats.setdefault(k, []).append(doc.span(m.start, m.end))
        attrs.setdefault(k, m)
    officials = {k for k, p in people.items() if p.roles}
    for k, spans in stats.items():
        m = attrs[k]
        i = next((j for j, (a, b) in enumerate(sents) if a <= m.start < b), None)
        lo, hi = sents[i] if i is not None else (m.start, m.end)
        periods = [(p.start, p.end, (p.first, p.last)) for p in find_periods(doc.text[lo:hi], doc.metadata.published)]
        period = _nearest([(a + lo, b + lo, v) for a, b, v in periods], m.start, m.end, lo, hi)
        about = tuple(x for x in (_nearest(anchors["about"], m.start, m.end, lo, hi),
                                  _nearest(anchors["place"], m.start, m.end, lo, hi)) if x)
        group = next((key for a, b, key in anchors["group"] if a < m.end and m.start < b), None) \
            or _nearest(anchors["group"], m.start, m.end, lo, hi)
        speaker = speakers[i] if i is not None and speakers[i] in officials else None
        facts.append(Fact("statistic", (("value", m.get("value")), ("unit", m.get("unit")),
                                        ("unit_text", m.get("unit_text")), ("noun", m.get("noun")),
                                        ("approximate", m.get("approximate")), ("period", period),
                                        ("about", about), ("group", group[1] if group else None),
                                        ("speaker", speaker)), tuple(dict.fromkeys(spans))))

    if doc.metadata.agency:
        entity(Entity("NewsAgency", fold(doc.metadata.agency), doc.metadata.agency))
    return replace(doc, entities=tuple(entities.values()), facts=tuple(facts))


def _body_entity(m: Mention, place_at: dict, main: str | None) -> Entity:
    """A public body, as one unit per province or county when the text names the place."""
    b = next(b for b in lexicons.bodies() if b["key"] == m.get("key"))
    place = _trailing_place(m, place_at)
    if place:
        kind, key = place
        label = f"{b['fa']} {_place_entity(kind, key).label}"
        attrs = (("level", kind.lower()), (kind.lower(), key), ("province", _province_of(place)))
        return Entity("Organization", f"{b['key']}/{key}", label, attrs + (("en", f"{b['en']} ({key})"),))
    return Entity("Organization", b["key"], b["fa"], (("level", "body"), ("en", b["en"])))


def _outermost(ms: list[Mention]) -> list[Mention]:
    """Drop programme mentions nested in a longer one (طرح نهضت ملی مسکن ⊃ نهضت ملی مسکن keeps the known name)."""
    out = []
    by_span: dict[tuple[int, int], Mention] = {}
    for m in ms:  # the same words found as a known name and by a trigger: keep the known one
        if (m.start, m.end) not in by_span or m.get("known"):
            by_span[(m.start, m.end)] = m
    ms = list(by_span.values())
    for m in sorted(ms, key=lambda m: (m.start, -m.end)):
        inner = [o for o in ms if o is not m and o.start <= m.start and m.end <= o.end]
        if inner:
            continue
        known = [o for o in ms if o is not m and m.start <= o.start and o.end <= m.end and o.get("known")]
        out.append(replace(m, attrs=m.attrs + (("known", known[0].get("known")),)) if known and not m.get("known") else m)
    return out
