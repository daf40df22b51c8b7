"""Mention stage: find typed stretches of text (places, roles, people, programmes,
the hotline, quantities) and the article metadata.

spaCy is the frame: a blank "fa" pipeline whose components are our rule detectors.
Each component reads ``doc.text`` and appends ``Mention`` objects to the custom
extension ``doc._.kgb_mentions`` with exact character offsets (regular expressions
over the text, not token-aligned spans, so offsets never drift). The spaCy ``Doc``
stays inside this module; the stage returns plain ``Mention`` tuples.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..config import Config
from ..model import Document, Metadata, Mention
from ..resources import lexicons
from ..text import dates, metadata, numbers

SEP = r"[ \u200c]?"  # between the words of a name: space, half-space or nothing
LETTER = r"[\u0621-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc]"
WORD = rf"{LETTER}+(?:\u200c{LETTER}+)*"
B = r"(?<![\w\u200c])"  # word start
E = r"(?![\w\u200c])"  # word end


def squash(text: str) -> str:
    """Lookup key of a written form: spaces and half-spaces removed (the regexes allow either)."""
    return _SPACING.sub("", text)


_SPACING = re.compile("[ \u200c]")


def flexible(phrase: str, inner: bool = False) -> str:
    """Regex for a phrase whose words may be written spaced, half-spaced or joined.

    ``inner`` also lets a half-space stand between any two letters of a word
    (توانبخشی / توان‌بخشی), for the short rule tables; gazetteers list their variants.
    """
    parts = re.split(r"[ \u200c]+", phrase.strip())
    if inner:
        parts = ["\u200c?".join(re.escape(ch) for ch in p) for p in parts]
        return SEP.join(parts)
    return SEP.join(re.escape(p) for p in parts)


def alternation(phrases, inner: bool = False) -> str:
    return "|".join(flexible(p, inner) for p in sorted(set(phrases), key=len, reverse=True))


# ---------------------------------------------------------------- places

@lru_cache(maxsize=1)
def _place_forms() -> tuple[str, ...]:
    """Every written form of every province and county."""
    return tuple(f for p in (*lexicons.provinces(), *lexicons.counties()) for f in (p["fa"], *p.get("variants", ())))


@lru_cache(maxsize=1)
def _place_patterns():
    names: dict[str, list[tuple[str, str]]] = {}  # surface form -> [(kind, key)]
    for p in lexicons.provinces():
        for form in (p["fa"], *p.get("variants", ())):
            names.setdefault(form, []).append(("province", p["key"]))
    for c in lexicons.counties():
        for form in (c["fa"], *c.get("variants", ())):
            names.setdefault(form, []).append(("county", c["key"]))
    rx = re.compile(rf"{B}(?P<scope>(?:استان|شهرستان|شهر){SEP}(?:های{SEP})?\s?)?(?P<name>{alternation(names)}){E}")
    folded = {squash(k): v for k, v in names.items()}
    return rx, folded


def find_places(text: str) -> list[Mention]:
    """Province and county candidates; ambiguity (a county named like a province) stays for resolve."""
    rx, folded = _place_patterns()
    out = []
    for m in rx.finditer(text):
        cands = folded.get(squash(m.group("name")), [])
        scope = (m.group("scope") or "").strip()
        out.append(Mention("place", m.start("name"), m.end("name"), m.group("name"),
                           (("candidates", tuple(cands)), ("scope", scope))))
    return out


# ---------------------------------------------------------------- hotline

_H_NAME = rf"اورژانس{SEP}اجتماعی(?:\s+بهزیستی)?"
_H_NUM = r"[(«]?\s*123(?![\w\u200c])[)»]?"
_H_LINE = rf"(?:خط(?:{SEP}(?:تلفنی|تلفن|ویژه|شبانه{SEP}روزی))*|شماره(?:{SEP}تلفن)?|تلفن)"
# Longest forms first; "named" marks what the article calls the service (its name as written).
HOTLINE = re.compile(
    rf"{B}(?:(?P<named>سامانه(?:{SEP}تلفنی)?\s*{_H_NUM}\s*{_H_NAME}"
    rf"|{_H_NAME}\s*(?:به{SEP}شماره\s*)?{_H_NUM}"
    rf"|سامانه(?:{SEP}تلفنی)?\s*{_H_NUM}"
    rf"|سامانه\s+{_H_NAME})"
    rf"|(?:{_H_LINE}|تماس{SEP}با)\s*(?:{_H_NUM}\s*)?(?P<name_only>{_H_NAME}(?:\s*(?:به{SEP}شماره\s*)?{_H_NUM})?)"
    rf"|(?:{_H_LINE}|تماس{SEP}با)\s*{_H_NUM}"
    rf"|(?P<bare>اورژانس{SEP}اجتماعی){E})"
)


def find_hotline(text: str) -> list[Mention]:
    """The 123 social-emergency line in its surface forms; ``name`` is how the article names it, if it does."""
    out = []
    for m in HOTLINE.finditer(text):
        end = m.start() + len(m.group(0).rstrip(")» "))
        name = m.group("named") or m.group("name_only") or m.group("bare")
        name = name.strip("()«» ") if name else None
        out.append(Mention("hotline", m.start(), end, text[m.start():end],
                           (("name", name), ("bare", bool(m.group("bare"))))))
    return out


# ---------------------------------------------------------------- programmes

@lru_cache(maxsize=1)
def _programme_patterns():
    data = lexicons.programmes()
    triggers = {t["fa"]: t["class"] for t in data["triggers"]}
    trig = re.compile(rf"{B}(?P<trigger>{alternation(triggers, True)}){E}(?!{SEP}(?:ها|های|هایی){E})")
    known = {k["fa"]: k for k in data["known"]}
    known_rx = re.compile(rf"{B}(?P<name>{alternation(known, True)}){E}")
    stop = frozenset(data["stop"])
    return trig, triggers, known_rx, known, stop


_DEMONSTRATIVE_BEFORE = re.compile(r"(?<![\w\u200c])(?:این|آن|همین|همان|هر)\s+$")
_QUOTED = re.compile(r"\s*[\"«“']([^\"»”'\n]{2,60})[\"»”']")
_NEXT_WORD = re.compile(rf"\s*({WORD})")


def find_programmes(text: str, max_words: int) -> list[Mention]:
    trig, triggers, known_rx, known, stop = _programme_patterns()
    folded_triggers = {squash(t): c for t, c in triggers.items()}
    out: list[Mention] = []
    for m in trig.finditer(text):
        if _DEMONSTRATIVE_BEFORE.search(text, max(0, m.start() - 8), m.start()):
            continue  # "این طرح ...": a reference back, not a name
        cls = folded_triggers[squash(m.group("trigger"))]
        q = _QUOTED.match(text, m.end())
        if q:  # طرح «X» or طرح "X"
            out.append(Mention("programme", m.start(), q.end(), f"{m.group('trigger')} {q.group(1).strip()}",
                               (("class", cls), ("naming", True))))
            continue
        end, words = m.end(), 0
        while words < max_words:
            w = _NEXT_WORD.match(text, end)
            if not w or w.group(1) in stop or w.group(1).startswith(("می\u200c", "نمی\u200c")):
                break
            end, words = w.end(), words + 1
        if words:
            out.append(Mention("programme", m.start(), end, text[m.start():end],
                               (("class", cls), ("naming", True))))
    # names the gazetteer knows without a trigger word: نهضت ملی مسکن، دهه کرامت
    for m in known_rx.finditer(text):
        k = _lookup(m.group("name"), known)
        out.append(Mention("programme", m.start(), m.end(), m.group("name"),
                           (("class", k["class"]), ("naming", True), ("known", k["fa"]))))
    return out


# ---------------------------------------------------------------- beneficiary groups and other bodies

@lru_cache(maxsize=1)
def _group_patterns():
    forms = {f: g["key"] for g in lexicons.beneficiary_groups() for f in (g["fa"], *g["forms"])}
    return re.compile(rf"{B}(?P<name>{alternation(forms, True)}){E}"), {squash(k): v for k, v in forms.items()}


def find_groups(text: str) -> list[Mention]:
    rx, keys = _group_patterns()
    return [Mention("group", m.start(), m.end(), m.group(0), (("key", keys[squash(m.group(0))]),))
            for m in rx.finditer(text)]


@lru_cache(maxsize=1)
def _body_patterns():
    forms = {f: b for b in lexicons.bodies() for f in (b["fa"], *b["forms"])}
    places = _place_forms()
    rx = re.compile(rf"{B}(?P<name>{alternation(forms, True)}){E}"
                    rf"(?:\s+(?:(?:استان|شهرستان)\s+)?(?P<place>{alternation(places)}){E})?")
    return rx, {re.sub(r"[ \u200c،,]", "", k): v for k, v in forms.items()}


def find_bodies(text: str) -> list[Mention]:
    rx, table = _body_patterns()
    out = []
    for m in rx.finditer(text):
        body = table[re.sub(r"[ \u200c،,]", "", m.group("name"))]
        place = m.group("place") if body.get("scope") else None
        end = m.end("place") if place else m.end("name")
        out.append(Mention("body", m.start(), end, text[m.start():end],
                           (("key", body["key"]), ("place", place), ("scope", body.get("scope")))))
    return out


# ---------------------------------------------------------------- roles and people

@lru_cache(maxsize=1)
def _role_patterns():
    data = lexicons.roles()
    titles = {t["fa"]: t for t in data["titles"]}
    domains = {d["fa"]: d for d in data["deputy_domains"]}
    places = _place_forms()
    place = alternation(places)
    plain = [t for t, d in titles.items() if not d.get("needs_place")]
    placed = [t for t, d in titles.items() if d.get("needs_place")]
    # a unit inside the organisation may stand between title and organisation: رئیس گروه اورژانس اجتماعی بهزیستی
    unit = rf"(?:(?P<unit>(?:گروه|دفتر|واحد|مرکز|امور|اداره)(?:\s+(?!بهزیستی|سازمان|اداره){WORD}){{1,3}})\s+)?"
    welfare = (
        rf"{unit}(?P<orgword>اداره{SEP}کل|اداره|سازمان|مرکز)?\s*{flexible('بهزیستی', True)}"
        rf"(?:\s+(?P<scope>کشور|استان|شهرستان))?(?:\s+(?P<place>{place}){E})?"
    )
    other = (rf"(?P<gtitle>مدیر|مدیرعامل|رئیس|رییس|دبیر|مسئول|سرپرست)\s+(?P<gorg>(?:مرکز|انجمن|مؤسسه|موسسه|خیریه|"
             rf"مجتمع|خانه|کانون|شرکت|بنیاد|هیئت|هیات){E}(?:\s+(?!گفت|افزود|اظهار|بیان|تصریح|نیز|در|با|به|از|که|و){WORD}){{1,5}})")
    rx = re.compile(
        rf"{B}(?:{other}(?=\s*(?:[،,.:؛]|نیز|گفت|افزود|اظهار|بیان|تصریح|در\s))"
        rf"|(?P<title>{alternation(plain, True)})(?:\s+(?P<domain>{alternation(domains, True)}))?\s+{welfare}"
        rf"|(?P<ptitle>{alternation(placed, True)})\s+(?:ویژه\s+)?(?:(?:استان|شهرستان)\s+)?(?P<pplace>{place}){E})"
    )
    return rx, titles, domains


def _lookup(surface: str | None, table: dict):
    if not surface:
        return None
    f = squash(surface)
    return next((v for k, v in table.items() if squash(k) == f), None)


def find_roles(text: str) -> list[Mention]:
    rx, titles, domains = _role_patterns()
    out = []
    for m in rx.finditer(text):
        if m.group("gtitle"):
            t = _lookup(m.group("gtitle"), titles)
            attrs = {"title": t["fa"], "slug": t["slug"], "category": t["category"], "org": "other",
                     "level": "body", "place": None, "domain": None, "domain_fa": None, "unit": None,
                     "body": re.sub(r"\s+", " ", m.group("gorg"))}
            end = m.end()
        elif m.group("title"):
            t, d = _lookup(m.group("title"), titles), _lookup(m.group("domain"), domains)
            scope = m.group("scope") or ""
            level = "national" if scope == "کشور" or (m.group("orgword") == "سازمان" and not m.group("place")
                                                       and scope != "استان") else (
                "county" if scope == "شهرستان" else "province")
            attrs = {"title": t["fa"], "slug": t["slug"], "category": t["category"], "org": "welfare",
                     "level": level, "place": m.group("place"), "domain": d["slug"] if d else None,
                     "domain_fa": d["fa"] if d else None, "unit": m.group("unit"), "body": None}
            end = m.end()
        else:
            t = _lookup(m.group("ptitle"), titles)
            attrs = {"title": t["fa"], "slug": t["slug"], "category": t["category"], "org": t["slug"],
                     "level": "county" if t["category"] == "county-governor" else "province",
                     "place": m.group("pplace"), "domain": None, "domain_fa": None, "unit": None, "body": None}
            end = m.end()
        # the role phrase as written, trimmed of trailing space
        surface = text[m.start():end].rstrip()
        out.append(Mention("role", m.start(), m.start() + len(surface), surface, tuple(sorted(attrs.items()))))
    return out


@lru_cache(maxsize=1)
def _name_patterns():
    given = lexicons.given_names()
    titles = lexicons.roles()["titles_of_address"]
    title_rx = rf"(?:(?:{alternation(titles)})\s*)"
    rx = re.compile(rf"{B}(?P<titles>{title_rx}*)(?P<given>{alternation(given)}){E}")
    return rx, frozenset(squash(g) for g in given), re.compile(title_rx)


_WORD_AT = re.compile(rf"[ \u200c]?({WORD})")
_FREQUENT = 1_000_000  # hazm corpus count above which a word is an ordinary word, not a surname


def _surname_ok(word: str, followed_by_part: bool, strict: bool) -> bool:
    """Can ``word`` be a surname? ``strict`` when the given name is also an ordinary word."""
    blocked = lexicons.non_surnames()
    if len(word) < 2 or word in blocked or word.startswith(("می\u200c", "نمی\u200c")):
        return False
    if "\u200c" in word:  # a half-spaced surname: حسین‌زاده، نیک‌اندیش; not a verb or a plural
        stem, _, part = word.rpartition("\u200c")
        if part in lexicons.surname_parts():
            return stem not in blocked
        return (len(part) >= 3 and part not in blocked and stem not in blocked and part not in _AFFIXES
                and lexicons.frequency(word) < _FREQUENT)
    if followed_by_part:
        return True
    frequent = lexicons.frequency(word) >= _FREQUENT
    return not frequent if strict else not (frequent and not word.endswith("ی"))


_AFFIXES = frozenset({"ها", "های", "هایی", "هایش", "هایشان", "ترین", "تر", "ای", "ام", "اند", "ایم", "اید", "است"})
_APPOSITION_AFTER = re.compile(r"\s*[،,]")


def _attested_compound(text: str, first: str, second: str) -> bool:
    """Is "first second" one word written apart? True when the article also writes it
    joined or half-spaced (نیک نام ... نیک‌نام)."""
    if second in lexicons.non_surnames() or len(second) < 2:
        return False
    return re.search(rf"(?<![\w\u200c]){re.escape(first)}\u200c?{re.escape(second)}(?![\w\u200c])", text) is not None


def _second_surname_word(word: str) -> bool:
    """A rare word that may continue a surname (اندیش in نیک اندیش), not an ordinary word or a name."""
    return (_surname_ok(word, False, strict=True) and word not in lexicons.given_names()
            and lexicons.frequency(word) < 50_000 and "\u200c" not in word)


def find_people(text: str) -> list[Mention]:
    """Person names: optional titles, one or two given names, a surname (maybe in two parts)."""
    rx, given, title_rx = _name_patterns()
    parts = lexicons.surname_parts()
    doubtful = lexicons.given_names_common_words()
    out: list[Mention] = []
    pos = 0

    def surname_at(at: int, strict: bool):
        w = _WORD_AT.match(text, at)
        if not w:
            return None
        extra = _WORD_AT.match(text, w.end())
        if extra and w.group(1) not in lexicons.non_surnames() and (
                _APPOSITION_AFTER.match(text, extra.end()) and _second_surname_word(extra.group(1))
                or _attested_compound(text, w.group(1), extra.group(1))):
            return w.start(1), extra.end()  # a two-word surname: نیک اندیش، ... / نیک نام (نیک‌نام elsewhere)
        has_part = bool(extra and extra.group(1) in parts)
        if not _surname_ok(w.group(1), has_part, strict):
            return None
        return (w.start(1), extra.end()) if has_part else (w.start(1), w.end())

    for m in rx.finditer(text):
        if m.start() < pos:
            continue
        given_text = m.group("given")
        strict = given_text in doubtful and not m.group("titles")
        nxt = _WORD_AT.match(text, m.end())
        span = None
        if nxt and re.sub("\u200c", "", nxt.group(1)) in given:  # a compound given name: علی محمد، حمید رضا
            span = surname_at(nxt.end(), strict=False)
            if span:
                given_text = text[m.start("given"):nxt.end()]
        if span is None:
            span = surname_at(m.end(), strict)
        if span is None:
            continue
        titles = tuple(t.strip() for t in title_rx.findall(m.group("titles")))
        out.append(Mention("person", m.start(), span[1], text[m.start():span[1]],
                           (("given", given_text), ("surname", text[span[0]:span[1]]), ("titles", titles))))
        pos = span[1]
    return out


# ---------------------------------------------------------------- sentences

_SENT_END = re.compile(r"[.!?؟]+(?=\s)|\n+")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence ranges: split after . ! ? ؟ before white space, and at line breaks."""
    out, start = [], 0
    for m in _SENT_END.finditer(text):
        if text[start:m.start()].strip():
            out.append((start, m.end()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out


# ---------------------------------------------------------------- the spaCy frame

if not Doc.has_extension("kgb_mentions"):
    Doc.set_extension("kgb_mentions", default=None)
if not Doc.has_extension("kgb_max_words"):
    Doc.set_extension("kgb_max_words", default=4)


def _text(doc: Doc) -> str:
    """The doc's text, built once (spaCy rebuilds ``doc.text`` from tokens on every access)."""
    if "kgb_text" not in doc.user_data:
        doc.user_data["kgb_text"] = doc.text
    return doc.user_data["kgb_text"]


def _add(doc: Doc, found: list[Mention]) -> Doc:
    if doc._.kgb_mentions is None:
        doc._.kgb_mentions = []
    doc._.kgb_mentions.extend(found)
    return doc


def _quantities(text: str) -> list[Mention]:
    found = []
    for q in numbers.find_quantities(text):
        attrs = (("value", q.value), ("unit", q.unit), ("unit_text", q.unit_text), ("noun", q.noun),
                 ("approximate", q.approximate))
        found.append(Mention("quantity", q.start, q.end, text[q.start:q.end], attrs))
    return found


# Each detector reads the text (and the options on the doc) and returns mentions.
DETECTORS = {
    "kgb_sentences": lambda text, doc: [Mention("sentence", a, b, text[a:b]) for a, b in sentences(text)],
    "kgb_places": lambda text, doc: find_places(text),
    "kgb_hotline": lambda text, doc: find_hotline(text),
    "kgb_programmes": lambda text, doc: find_programmes(text, doc._.kgb_max_words),
    "kgb_groups": lambda text, doc: find_groups(text),
    "kgb_bodies": lambda text, doc: find_bodies(text),
    "kgb_roles": lambda text, doc: find_roles(text),
    "kgb_people": lambda text, doc: find_people(text),
    "kgb_quantities": lambda text, doc: _quantities(text),
}


def _component(detect):
    def component(doc: Doc) -> Doc:
        return _add(doc, detect(_text(doc), doc))
    return component


for _name, _detect in DETECTORS.items():
    if _name not in Language.factories:
        Language.component(_name, assigns=["doc._.kgb_mentions"], func=_component(_detect))
COMPONENTS = tuple(DETECTORS)


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """The blank Persian spaCy pipeline with our detectors, built once."""
    nlp = spacy.blank("fa")
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp


def find_metadata(text: str, body) -> tuple[Metadata, list[tuple[str, int, int]]]:
    """Publication date, news code, agency and headline; spans are in cleaned-text offsets."""
    spans = []
    pub = dates.publication_date(text, body)
    code = metadata.news_code(text)
    agency = metadata.agency(text)
    headline = text[body[0][0]:body[0][1]].strip().split("\n", 1)[0].strip() if body else None
    if pub:
        spans.append(("published", pub.start, pub.end))
    if code:
        spans.append(("news_code", code[1], code[2]))
    if agency:
        spans.append(("agency", agency[1], agency[2]))
    jalali = f"{pub.year:04d}-{pub.month:02d}-{pub.day:02d}" if pub and pub.year and pub.day else None
    return Metadata(
        published=pub.gregorian if pub else None, published_jalali=jalali,
        news_code=code[0] if code else None, agency=agency[0] if agency else None, headline=headline,
    ), spans


def run(doc: Document, config: Config) -> Document:
    """Return ``doc`` with its mentions (sorted by position) and metadata."""
    nlp = pipeline()
    sdoc = nlp.make_doc(doc.text)
    sdoc._.kgb_max_words = config.int("mentions.max_programme_words")
    for _, proc in nlp.pipeline:
        sdoc = proc(sdoc)
    found = sorted(sdoc._.kgb_mentions or [], key=lambda m: (m.start, -m.end, m.kind))
    meta, spans = find_metadata(doc.text, doc.body)
    meta = replace(
        meta,
        published_span=next((doc.span(a, b) for k, a, b in spans if k == "published"), None),
        news_code_span=next((doc.span(a, b) for k, a, b in spans if k == "news_code"), None),
        agency_span=next((doc.span(a, b) for k, a, b in spans if k == "agency"), None),
    )
    return replace(doc, mentions=tuple(found), metadata=meta)
