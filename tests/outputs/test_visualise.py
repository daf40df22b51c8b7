"""Visualisation: the networkx projection, exports, filters, the offline HTML page in a real
headless Chromium, and PNG/SVG pictures with shaped Persian labels."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from io import BytesIO
from pathlib import Path
from urllib.parse import quote

import matplotlib
import networkx as nx
import pytest
from helpers import SEEDS, built
from rdflib import RDF, URIRef

from kg_builder.cli import main
from kg_builder.errors import ConfigError
from kg_builder.outputs import serialize
from kg_builder.outputs import visualise as viz
from kg_builder.vocab import KGO, ORG

KG = "https://w3id.org/kg-builder/id/"
QAZVIN = KG + "province/qazvin"
ZANJAN = KG + "province/zanjan"
ARTICLE0 = "000_bda2323a92f9eb93.txt"
IN_CI = bool(os.environ.get("CI"))


def _need(thing: str, reason: str):
    """Skip on a developer machine without ``thing``; CI installs it, so there it fails."""
    if IN_CI:
        pytest.fail(f"{thing} missing in CI ({reason}); .ci/run installs it")
    pytest.skip(f"{thing} not installed: {reason}")


@pytest.fixture(scope="module")
def rdf():
    result = built(str(SEEDS))
    assert len(result.graph), f"the sample articles built no graph: {result.errors}"
    return result.graph


@pytest.fixture(scope="module")
def G(rdf):
    return viz.to_networkx(rdf, provenance=True)


@pytest.fixture(scope="module")
def kg_file(rdf, tmp_path_factory):
    path = tmp_path_factory.mktemp("viz") / "kg.ttl"
    serialize.write(rdf, path)
    return path


def _of_type(G, t):
    return {n for n, d in G.nodes(data=True) if d["type"] == t}


def _by_label(G, label):
    found = [n for n, d in G.nodes(data=True) if label in (d["label_fa"], d["label_en"])]
    assert len(found) == 1, (label, found)
    return found[0]


# --------------------------------------------------------------------------- projection

def test_entities_are_nodes_with_types_labels_and_literals(G, rdf):
    types = {d["type"] for _, d in G.nodes(data=True)}
    assert {"Article", "Person", "Organization", "Province", "Programme", "Hotline", "Statistic"} <= types
    assert types <= set(viz.NODE_TYPES)
    assert len(_of_type(G, "Article")) == 5
    assert _of_type(G, "Person") == {str(s) for s in rdf.subjects(RDF.type, KGO.Person)}
    q = G.nodes[QAZVIN]
    assert (q["type"], q["label_fa"], q["label_en"], q["iri"], q["isoCode"]) == \
        ("Province", "قزوین", "Qazvin", QAZVIN, "IR-26")
    assert G.nodes[str(KGO.Hotline123)]["type"] == "Hotline"
    article = next(d for n, d in G.nodes(data=True) if d.get("sourceFile") == ARTICLE0)
    assert article["newsCode"] and article["label_en"] == ARTICLE0 and article["label_fa"]
    # facts, spans, selectors and roles are folded away, never nodes
    for cls in (KGO.Mention, KGO.Membership, KGO.TextSpan, KGO.SpanSelector, KGO.Role):
        assert not {str(s) for s in rdf.subjects(RDF.type, cls)} & set(G.nodes)


def test_articles_are_named_by_their_headlines(G, rdf):
    articles = {n: d for n, d in G.nodes(data=True) if d["type"] == "Article"}
    page = {n["iri"]: n for n in viz.page_data(G)["nodes"]}
    for n, d in articles.items():
        headline = " ".join(str(rdf.value(URIRef(n), URIRef(viz.SCHEMA + "headline"))).split())
        assert d["label_fa"] == d["label"] == page[n]["fa"] == headline  # whole, for the page's details
        assert d["label_en"] == d["sourceFile"] == page[n]["attrs"]["sourceFile"]  # the file stays
        # the picture's label: the headline cut after a whole word
        short = viz._picture_label(d)
        assert len(short) <= 34 < len(headline) and short.endswith("…")
        assert headline.startswith(short[:-1]) and headline[len(short) - 1] in " ،/"
    assert max(len(d["label_fa"]) for d in articles.values()) > 100  # no longer cut at 70
    assert viz._picture_label({"type": "Article", "label_fa": "", "label_en": "009_x.txt",
                               "sourceFile": "009_x.txt"}) == "009_x"  # no headline: the file


def test_posts_are_edges_person_to_organisation(G, rdf):
    posts = [(u, v, d) for u, v, d in G.edges(data=True) if d["relation"] == "holdsPost"]
    assert len(posts) == len(set(rdf.subjects(RDF.type, KGO.Membership)))
    for u, v, d in posts:
        assert G.nodes[u]["type"] == "Person" and G.nodes[v]["type"] == "Organization"
        assert d["predicate"] == "holds post" and d["label"] == f"holds post: {d['role_fa']}"
        member = next(rdf.objects(URIRef(d["fact"]), ORG.member))
        assert str(member) == u
    varesi = _by_label(G, "علیرضا وارثی")
    assert any(d["role_fa"] == "مدیرکل" and v == KG + "organization/welfare/qazvin"
               for _, v, d in G.out_edges(varesi, data=True) if d["relation"] == "holdsPost")


def test_mentions_collapse_to_one_counted_edge_per_article_and_entity(G, rdf):
    article = next(n for n, d in G.nodes(data=True) if d.get("sourceFile") == ARTICLE0)
    edges = [d for _, v, d in G.out_edges(article, data=True) if v == QAZVIN and d["relation"] == "mentions"]
    assert len(edges) == 1
    mentions = [m for m in rdf.subjects(KGO.mentions, URIRef(QAZVIN)) if str(m).startswith(article + "/")]
    assert edges[0]["count"] == len(mentions) > 1
    assert {e["exact"] for e in edges[0]["evidence"]} == {"قزوین"}


def test_statistics_are_nodes_stated_by_articles_about_places(G):
    stats = _of_type(G, "Statistic")
    assert len(stats) > 20
    for s in stats:
        d = G.nodes[s]
        assert isinstance(d["value"], (int, float)) and d["label_fa"] and d["articles"]
        assert [u for u, _, r in G.in_edges(s, data="relation") if r == "states"]
    about = [v for s in stats for _, v, r in G.out_edges(s, data="relation") if r == "observationAbout"]
    assert QAZVIN in about and ZANJAN in about


def test_provenance_is_dropped_by_default_and_exact_when_kept(G, rdf):
    bare = viz.to_networkx(rdf)
    assert not any("evidence" in d for _, d in bare.nodes(data=True))
    assert not any("evidence" in d for *_, d in bare.edges(data=True))
    assert bare.number_of_nodes() == G.number_of_nodes() and bare.number_of_edges() == G.number_of_edges()
    texts = {p.name: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    checked = 0
    for *_, d in G.edges(data=True):
        for ev in d.get("evidence", []):
            assert texts[ev["source"]][ev["start"]:ev["end"]] == ev["exact"]
            checked += 1
    for s in _of_type(G, "Statistic"):
        assert G.nodes[s]["evidence"]
    posts = [d for *_, d in G.edges(data=True) if d["relation"] == "holdsPost"]
    assert all(d["evidence"] for d in posts) and checked > 50


def test_node_types_option(rdf):
    H = viz.to_networkx(rdf, node_types=["Person", "organisation"])
    assert {d["type"] for _, d in H.nodes(data=True)} == {"Person", "Organization"}
    assert any(r == "holdsPost" for *_, r in H.edges(data="relation"))
    campaigns = viz.to_networkx(rdf, node_types=["Campaign"])
    assert campaigns.number_of_nodes() and {d["kind"] for _, d in campaigns.nodes(data=True)} == {"Campaign"}
    with pytest.raises(ConfigError, match="unknown node type 'Planet'"):
        viz.to_networkx(rdf, node_types=["Planet"])


# --------------------------------------------------------------------------- filters

def test_filters(G):
    people = viz.filter_graph(G, types=["Person"])
    assert set(people) == _of_type(G, "Person")

    one = viz.filter_graph(G, article=ARTICLE0)
    assert QAZVIN in one and ZANJAN not in one
    assert {src for *_, d in one.edges(data=True) for src in d.get("articles", [])} == {ARTICLE0}
    assert viz.filter_graph(G, article="000_bda2323a92f9eb93").number_of_nodes() == one.number_of_nodes()

    for name in ("قزوین", "Qazvin", "IR-26", QAZVIN):
        prov = viz.filter_graph(G, province=name)
        assert QAZVIN in prov and ZANJAN not in prov
        assert KG + "county/qazvin/avaj" in prov and KG + "organization/welfare/qazvin" in prov
    varesi = _by_label(G, "علیرضا وارثی")
    assert varesi in prov  # the office-holder, through the directorate

    near = viz.filter_graph(G, around="علیرضا وارثی", depth=1)
    assert varesi in near and KG + "organization/welfare/qazvin" in near and ZANJAN not in near
    assert set(viz.filter_graph(G, around=varesi, depth=0)) == {varesi}
    assert viz.filter_graph(G, around="Qazvin", depth=2).number_of_nodes() > near.number_of_nodes() / 2
    # Arabic letter variants, ZWNJ and digits fold: كودكان with Arabic kaf still finds کودکان
    assert viz.find_nodes(G, "كودكان") == viz.find_nodes(G, "کودکان")
    assert viz.find_nodes(G, "اورژانس اجتماعی 123") == [str(KGO.Hotline123)]

    with pytest.raises(ConfigError, match="no Province node matches"):
        viz.filter_graph(G, province="Atlantis")
    with pytest.raises(ConfigError, match="ambiguous"):
        viz.filter_graph(G, around="اداره کل")
    with pytest.raises(ConfigError, match="depth"):
        viz.filter_graph(G, around="Qazvin", depth=-1)


def test_cli_filters_and_errors(kg_file, tmp_path, capsys):
    out = tmp_path / "q.json"
    assert main(["viz", str(kg_file), "-o", str(out), "--province", "قزوین", "--type", "Person",
                 "--type", "Organization,Province", "-q"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    types = {n["type"] for n in data["nodes"]}
    assert types == {"Person", "Organization", "Province"} and QAZVIN in {n["id"] for n in data["nodes"]}

    capsys.readouterr()
    cases = [
        (["viz", str(tmp_path / "missing.ttl"), "-o", str(tmp_path / "x.html")], 2, "no such graph file"),
        (["viz", str(kg_file), "-o", str(tmp_path / "x.pdf")], 3, "cannot tell the format"),
        (["viz", str(kg_file), "-o", str(tmp_path / "x.html"), "--around", "nobody at all"], 3, "no node matches"),
        (["viz", str(kg_file), "-o", str(tmp_path / "x.html"), "--article", "999.txt"], 3, "no Article node"),
        (["viz", str(kg_file), "-o", str(tmp_path / "x.html"), "--type", "Planet"], 3, "unknown node type"),
    ]
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    cases.append((["viz", str(bad), "-o", str(tmp_path / "x.html")], 2, "cannot parse as RDF"))
    for argv, code, message in cases:
        assert main(argv) == code, argv
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1, err
        assert not (tmp_path / "x.html").exists()


# --------------------------------------------------------------------------- exports

@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_exports_are_written_and_read_back(G, tmp_path, fmt):
    path = tmp_path / f"kg.{fmt}"
    viz.write(G, path)
    if fmt == "graphml":
        back = nx.read_graphml(path, force_multigraph=True)
    elif fmt == "gexf":
        back = nx.read_gexf(path)
    else:
        data = json.loads(path.read_text(encoding="utf-8"))
        try:
            back = nx.node_link_graph(data, edges="links")
        except TypeError:
            back = nx.node_link_graph(data)
    assert back.number_of_nodes() == G.number_of_nodes()
    assert back.number_of_edges() == G.number_of_edges()
    q = back.nodes[QAZVIN]
    assert q["label_fa"] == "قزوین" and q["type"] == "Province"
    predicates = {d.get("predicate") for *_, d in back.edges(data=True)}
    assert {"holds post", "mentions", "about", "states"} <= predicates
    evidence = next(d["evidence"] for *_, d in back.edges(data=True) if d.get("predicate") == "holds post")
    spans = json.loads(evidence) if isinstance(evidence, str) else evidence
    assert spans[0]["exact"] and spans[0]["source"].endswith(".txt")


# --------------------------------------------------------------------------- HTML page

@pytest.fixture(scope="module")
def page(kg_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("page") / "kg.html"
    assert main(["viz", str(kg_file), "-o", str(out), "-q"]) == 0
    return out


def test_page_is_self_contained(page):
    text = page.read_text(encoding="utf-8")
    block = re.search(r'id="kg-data">(.*?)</script>', text, re.DOTALL)
    code = text[:block.start(1)] + text[block.end(1):]  # the page without its data
    assert "default-src 'none'" in code  # the page may fetch nothing, whatever a browser would try
    tags = re.findall(r"<(?:script|link|img|iframe|object|embed|source)\b[^>]*>", code)
    assert not [t for t in tags if re.search(r"\b(src|href)\s*=", t)], tags
    assert "@import" not in code and "url(" not in code and "fetch(" not in code
    assert code.count("<script") == 2  # the data block and the viewer
    data = json.loads(block.group(1))
    assert any(n["fa"] == "قزوین" for n in data["nodes"])


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if shutil.which(name):
            return shutil.which(name)
    _need("chromium", "the HTML page is checked in a real headless browser (apt-get install chromium)")


def _run_chromium(tmp_path, *args) -> subprocess.CompletedProcess:
    argv = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
            "--force-device-scale-factor=1", f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=4000", "--window-size=1200,800", *args]
    return subprocess.run(argv, capture_output=True, timeout=90, check=False)


def test_page_draws_the_graph_in_chromium(page, tmp_path):
    import numpy as np
    from PIL import Image

    shot = tmp_path / "shot.png"
    run = _run_chromium(tmp_path, f"--screenshot={shot}", page.as_uri())
    assert shot.exists(), run.stderr.decode(errors="replace")[-2000:]
    img = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    assert img.shape[:2] == (800, 1200)
    canvas = img[:, 380:]  # right of the search panel: the drawing
    background = np.array([251, 251, 249])
    drawn = (np.abs(canvas - background).sum(axis=2) > 60).mean()
    assert drawn > 0.03, f"only {drawn:.1%} of the canvas is drawn"

    def near(colour, tolerance=40):
        return int((np.abs(canvas - np.array(colour)).sum(axis=2) < tolerance).sum())

    for t in ("Person", "Province", "Organization", "Statistic"):
        rgb = [int(viz.COLOURS[t][i:i + 2], 16) for i in (1, 3, 5)]
        assert near(rgb) > 100, f"no {t} node drawn"
    dark = (canvas.sum(axis=2) < 200).sum()  # label text
    assert dark > 3000, "no labels drawn"


def test_page_search_finds_a_persian_label_and_shows_its_sources(page, tmp_path):
    run = _run_chromium(tmp_path, "--dump-dom", page.as_uri() + "#search=" + quote("قزوين"))  # Arabic yeh
    dom = run.stdout.decode("utf-8")
    assert 'data-ready="1"' in dom, run.stderr.decode(errors="replace")[-2000:]
    hits = re.findall(r'<li class="hit[^"]*"[^>]*data-iri="([^"]+)"[^>]*>(.*?)</li>', dom, re.DOTALL)
    assert hits and hits[0][0] == QAZVIN and "قزوین" in hits[0][1]
    assert re.search(r'<h2 id="d-title"[^>]*>قزوین</h2>', dom)
    details = dom[dom.index('id="details"'):dom.index('id="kg-data"')]
    assert "Facts (" in details
    marks = re.findall(r"<mark>(.*?)</mark>", details)
    assert "قزوین" in marks  # the sentence the province was read from, the name highlighted
    assert re.search(r'class="ctx">…[^<]+</span><mark>قزوین</mark>', details)
    assert ARTICLE0 in details


def test_page_names_an_article_by_its_headline_and_shows_its_file(page, tmp_path, G):
    import html

    article = next(d for d in G.nodes.values() if d.get("sourceFile") == ARTICLE0)
    run = _run_chromium(tmp_path, "--dump-dom", page.as_uri() + "#search=" + quote(ARTICLE0))
    dom = run.stdout.decode("utf-8")
    assert 'data-ready="1"' in dom, run.stderr.decode(errors="replace")[-2000:]
    hits = re.findall(r'<li class="hit[^"]*"[^>]*data-iri="([^"]+)"[^>]*>(.*?)</li>', dom, re.DOTALL)
    assert hits[0][0] == article["iri"]
    assert html.escape(article["label_fa"]) in hits[0][1] and ARTICLE0 in hits[0][1]  # headline, file beside
    details = dom[dom.index('id="details"'):dom.index('id="kg-data"')]
    assert re.search(rf'<h2 id="d-title"[^>]*>{re.escape(html.escape(article["label_fa"]))}</h2>', details)
    assert f'<div class="en" dir="auto">{ARTICLE0}</div>' in details


# --------------------------------------------------------------------------- pictures

def _font():
    try:
        return viz.find_font()
    except ConfigError as e:
        _need("a Persian font", str(e))


def test_persian_is_shaped_right_to_left_for_matplotlib():
    shape = viz._shaper()
    from matplotlib import ft2font

    if getattr(ft2font, "__libraqm_version__", None):
        assert shape("قزوین") == "قزوین"  # matplotlib shapes and orders text itself
    else:
        shaped = shape("قزوین")
        assert all("\ufb50" <= c <= "\ufeff" for c in shaped)  # contextual forms: letters joined
        assert shaped[0] == "\ufee6" and shaped[-1] == "\ufed7"  # final nun first: right to left
        assert shape("Qazvin 123") == "Qazvin 123"


def test_png_has_labels(G):
    import numpy as np
    from PIL import Image

    _font()
    H = viz.filter_graph(G, province="قزوین")
    with_labels = np.asarray(Image.open(BytesIO(viz.draw(H, "png"))).convert("L"))
    without = np.asarray(Image.open(BytesIO(viz.draw(H, "png", labels=False))).convert("L"))
    assert with_labels.shape == without.shape
    ink, bare = int((with_labels < 160).sum()), int((without < 160).sum())
    assert ink > bare + 1500, (ink, bare)  # the labels' glyphs
    # the legend is the same in both (it was drawn unshaped without labels): only labels differ
    assert (np.abs(with_labels.astype(int) - without.astype(int)) > 60).sum() > 3000


def test_png_and_svg_through_the_cli(kg_file, tmp_path):
    from PIL import Image

    _font()
    png, svg = tmp_path / "kg.png", tmp_path / "kg.svg"
    assert main(["viz", str(kg_file), "-o", str(png), "-q"]) == 0
    with Image.open(png) as im:
        assert im.size[0] > 1000 and im.size[1] > 800
    assert main(["viz", str(kg_file), "-o", str(svg), "--around", "Qazvin", "-q"]) == 0
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg") and len(list(root.iter())) > 100
    assert main(["viz", str(kg_file), "-o", str(svg), "--font", str(tmp_path / "nofont.ttf")]) == 3


def test_find_font_rejects_a_font_without_persian():
    font = _font()
    assert not viz._missing(font, viz._shaper()("قزوینپچژگ"))
    latin = _MPL_FONTS / "DejaVuSerif.ttf"  # ships with matplotlib, has no Arabic script
    with pytest.raises(ConfigError, match=r"DejaVu Serif Book .* has no glyph for U\+\w+ ARABIC LETTER"):
        viz.find_font(str(latin))
    with pytest.raises(ConfigError, match="not a font file"):
        viz.find_font(__file__)


_MPL_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"  # DejaVu Sans ships with matplotlib
NOTO = "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf"
# invented names: الله inside a name, lam-alef (لا) and a ZWNJ (لاله‌ها)
ABDOLLAH, SOCIETY = "عبدالله کاغذی", "انجمن لاله‌ها"


def _people(*labels) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    for i, label in enumerate(labels):
        G.add_node(f"{KG}person/{i}", type="Person", kind="Person", label_fa=label, label_en="", label=label)
    return G


def _boxes(svg: bytes, fonts: list) -> list[str]:
    """The glyphs of an SVG drawn with svg.fonttype=path that are empty boxes. matplotlib names each
    glyph's path "<PostScript name>-<hex>": the hex is the character's code point, or, when its
    FreeType shapes text (libraqm), the glyph's index in the font, 0 being "no glyph"."""
    from matplotlib.ft2font import FT2Font

    charmaps = {FT2Font(str(f)).postscript_name: FT2Font(str(f)).get_charmap() for f in fonts}
    raqm = bool(getattr(__import__("matplotlib.ft2font").ft2font, "__libraqm_version__", None))
    glyphs = re.findall(r'<path id="([^"]+)-([0-9a-f]+)"', svg.decode())
    assert glyphs, "no text drawn as paths"
    return [f"{name}-{code}" for name, code in glyphs
            if (int(code, 16) == 0 if raqm else int(code, 16) not in charmaps[name])]


@pytest.mark.parametrize("font", [str(_MPL_FONTS / "DejaVuSans.ttf"), NOTO], ids=["DejaVu Sans", "Noto Sans Arabic"])
def test_every_glyph_drawn_is_in_its_font(font):
    import warnings

    if not Path(font).exists():
        _need(font, "the picture is checked with this Persian font")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        svg = viz.draw(_people(ABDOLLAH, SOCIETY), "svg", font=font, title="kg · " + ABDOLLAH)
    assert not _boxes(svg, [font, _MPL_FONTS / "DejaVuSans.ttf"])  # DejaVu Sans once drew ﷲ (U+FDF2) here
    assert not [str(w.message) for w in caught if "missing from font" in str(w.message)]
    # the names were drawn, from the font asked for: their joined letters, or with libraqm its glyphs
    from matplotlib import ft2font

    ps = ft2font.FT2Font(font).postscript_name
    drawn = set(re.findall(rf'<path id="{ps}-([0-9a-f]+)"', svg.decode()))
    if getattr(ft2font, "__libraqm_version__", None):
        assert len(drawn) >= 12
    else:
        assert {f"{ord(c):x}" for name in (ABDOLLAH, SOCIETY) for c in viz._shaper()(name) if c != " "} <= drawn
def _dejavu_less(folder: Path, name: str, drop) -> str:
    """DejaVu Sans without the characters for which ``drop(code point)`` is true, saved as ``name``."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(_MPL_FONTS / "DejaVuSans.ttf")
    options = subset.Options()
    options.layout_closure = False  # nor reachable through the font's own joining rules
    options.drop_tables += ["FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={c for c in font.getBestCmap() if not drop(c)})
    subsetter.subset(font)
    font.save(folder / name)
    return str(folder / name)


@pytest.fixture(scope="module")
def no_gaf(tmp_path_factory):
    """A font with Persian letters, nearly: no گ (gaf) in any form."""
    return _dejavu_less(tmp_path_factory.mktemp("fonts"), "no-gaf.ttf",
                        lambda c: c in (0x06AF, 0xFB92, 0xFB93, 0xFB94, 0xFB95))


def test_a_font_lacking_a_drawn_letter_is_refused_or_passed_over(no_gaf, monkeypatch):
    dejavu = str(_MPL_FONTS / "DejaVuSans.ttf")
    text = viz._shaper()("گل " + ABDOLLAH)
    # --font is checked, never replaced; the message names the font and the letters
    with pytest.raises(ConfigError, match=r"no-gaf\.ttf.*\(DejaVu Sans Book [\d.]+\) has no glyph for U\+\w+ "
                                          r"ARABIC LETTER GAF"):
        viz.find_font(no_gaf, text)
    assert viz.find_font(no_gaf, viz._shaper()(ABDOLLAH)) == no_gaf  # what the picture draws, not a probe
    # among the installed fonts, the first that has every letter
    monkeypatch.setattr(viz, "_installed_fonts", lambda: [no_gaf, dejavu])
    assert viz.find_font(None, text) == dejavu
    monkeypatch.setattr(viz, "_installed_fonts", lambda: [no_gaf])
    with pytest.raises(ConfigError, match=r"no installed font has every character.*no-gaf\.ttf.*ARABIC LETTER GAF"):
        viz.find_font(None, text)
    # and drawing goes through the same check, before anything is drawn
    with pytest.raises(ConfigError, match="ARABIC LETTER GAF"):
        viz.draw(_people("گل"), "png", font=no_gaf)


def test_a_font_with_letters_but_no_joined_forms(tmp_path):
    """Such fonts (Noto Kufi Arabic, Noto Nastaliq Urdu) join letters by their own rules, which
    matplotlib without libraqm cannot apply: it draws the joined forms arabic-reshaper gives it."""
    from matplotlib import ft2font

    bare = _dejavu_less(tmp_path, "bare.ttf", lambda c: 0xFB50 <= c <= 0xFDFF or 0xFE70 <= c <= 0xFEFF)
    assert not viz._missing(bare, "پچژگکیآ")  # what the old check asked, and let every label be boxes
    if getattr(ft2font, "__libraqm_version__", None):
        assert viz.find_font(bare) == bare  # matplotlib joins the letters itself
    else:
        with pytest.raises(ConfigError, match=r"has no glyph for U\+FB\w+ ARABIC LETTER .* FORM"):
            viz.find_font(bare)


# --------------------------------------------------------------------------- node types from the ontology

def test_node_types_come_from_the_ontology_classes():
    from kg_builder import vocab

    node_classes, ontology = viz._class_types()
    # the table the module kept by hand before it read the ontology, less its priority order
    assert {(iri[len(vocab.KGO_IRI):], t) for iri, t, _ in node_classes} == {
        ("Hotline", "Hotline"), ("Statistic", "Statistic"), ("NewsArticle", "Article"),
        ("NewsAgency", "NewsAgency"), ("Person", "Person"), ("Province", "Province"), ("County", "County"),
        ("NationalOrganization", "Organization"), ("ProvincialDirectorate", "Organization"),
        ("CountyOffice", "Organization"), ("Organization", "Organization"),
        ("Campaign", "Programme"), ("ServiceSystem", "Programme"), ("Programme", "Programme"),
        ("BeneficiaryGroup", "BeneficiaryGroup")}
    assert ontology == {c.iri for c in vocab.classes().values()}
    # the narrower class wins; facts, spans and roles are no nodes; a class the ontology lacks is its own type
    assert viz._node_type({str(KGO.Hotline), str(KGO.ServiceSystem)}) == ("Hotline", "Hotline")
    assert viz._node_type({str(KGO.Programme), str(KGO.Campaign)}) == ("Programme", "Campaign")
    assert viz._node_type({str(KGO.Membership)}) is None and viz._node_type({str(KGO.Role)}) is None
    assert viz._node_type({vocab.KGO_IRI + "Newcomer"}) == ("Newcomer", "Newcomer")
    # the legend's Persian names are the classes' labels
    assert [viz._type_fa(t) for t in viz.NODE_TYPES] == [
        vocab.classes()[viz._TYPE_CLASS.get(t, t)].label_fa for t in viz.NODE_TYPES]
    assert viz._type_fa("Article") == "خبر" and viz._type_fa("Newcomer") == ""


# --------------------------------------------------------------------------- determinism

# one process draws the graph in every format: run twice with different string hashes, since
# rdflib hands out triples in hash order, which is what made examples/seeds.png change
_DRAW_ALL = """
import sys
from pathlib import Path
from kg_builder.outputs import visualise as viz
from kg_builder.outputs.data import read_quads, visible
from kg_builder.terms import to_graph
G = viz.to_networkx(to_graph(visible(read_quads(sys.argv[1]))), provenance=True)
for fmt in sys.argv[3:]:
    Path(sys.argv[2], "kg." + fmt).write_bytes(viz.dumps(G, fmt, title="kg"))
"""


def test_every_format_is_the_same_bytes_whatever_the_hash_seed(kg_file, tmp_path):
    formats = ["html", "graphml", "gexf", "json"]
    try:
        viz.find_font()
        formats += ["png", "svg"]
    except ConfigError as e:
        if IN_CI:
            pytest.fail(f"a Persian font missing in CI: {e}")
    root = Path(__file__).resolve().parents[2]
    for seed in ("1", "2"):
        (tmp_path / seed).mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)}
        run = subprocess.run([sys.executable, "-c", _DRAW_ALL, str(kg_file), str(tmp_path / seed), *formats],
                             capture_output=True, text=True, env=env, timeout=300, check=False)
        assert run.returncode == 0, run.stderr[-2000:]
    differ = [fmt for fmt in formats
              if (tmp_path / "1" / f"kg.{fmt}").read_bytes() != (tmp_path / "2" / f"kg.{fmt}").read_bytes()]
    assert not differ, f"different bytes from two runs: {differ}"


def _draw_example():
    """examples/draw.py as a module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("draw_example", SEEDS.parent / "draw.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_example_drawings_are_what_draw_py_draws():
    from PIL import Image

    example = _draw_example()
    stale = "is not what python examples/draw.py draws now: run it and commit the file"
    page = SEEDS.parent / "seeds.html"
    assert example.drawings(("seeds.html",))["seeds.html"] == page.read_bytes(), f"examples/seeds.html {stale}"

    _font()
    fresh = example.drawings(("seeds.png",))["seeds.png"]
    committed = (SEEDS.parent / "seeds.png").read_bytes()
    # the pixels depend on the font and the rasteriser, which the PNG names: compare like with like
    drawn_with = [{k: Image.open(BytesIO(png)).text.get(k) for k in ("Software", "Font")} for png in (committed, fresh)]
    assert all(drawn_with[1].values()), drawn_with[1]
    if drawn_with[0] != drawn_with[1]:
        pytest.skip(f"examples/seeds.png was drawn with {drawn_with[0]}, this machine draws with {drawn_with[1]}")
    assert fresh == committed, f"examples/seeds.png {stale}"
