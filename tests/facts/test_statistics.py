"""Statistics: figures, repeated figures as one fact, and their context."""

import datetime as dt

from fact_texts import HEAD, document, resolved

from kg_builder.facts import statistics
from kg_builder.facts.statistics import QuantityMention, Statistic


def test_detector_reads_values_units_and_hedges():
    doc = document(HEAD + "بیش از ۲ میلیارد و ۵۰۰ میلیون ریال و ۴۰ درصد و ۳۰۰ نفر\n")
    found = [(m.value, m.unit, m.approximate) for m in doc.mentions if isinstance(m, QuantityMention)]
    assert (2_500_000_000, "rial", True) in found and (40, "percent", False) in found and (300, "count", False) in found


def test_a_repeated_figure_is_one_fact_with_both_spans():
    res = resolved(HEAD + "بیش از ۴۰۰ کودک در طرح غربالگری شرکت کردند و نتایج اعلام شد\n\n"
                   "مدیرکل بهزیستی استان قم گفت: بیش از ۴۰۰ کودک در طرح غربالگری شرکت کردند.\n", statistics)
    facts = [f for f in res.facts if isinstance(f, Statistic) and f.value == 400]
    assert len(facts) == 1 and len(facts[0].spans) == 2


def test_period_topic_group_and_speaker():
    res = resolved(HEAD + "گزارش عملکرد بهزیستی استان کرمان منتشر شد\n\n"
                   "مهدی کریمی، مدیرکل بهزیستی استان کرمان گفت: در سال ۱۴۰۱ بیش از ۳۲۰ واحد مسکونی "
                   "در قالب نهضت ملی مسکن به مددجویان تحویل شد.\n", statistics)
    (s,) = [f for f in res.facts if isinstance(f, Statistic) and f.value == 320]
    assert s.period == (dt.date(2022, 3, 21), dt.date(2023, 3, 20))
    assert [e.label for e in s.about] == ["نهضت ملی مسکن", "کرمان"]
    assert s.group.key == "clients" and s.speaker.label == "مهدی کریمی"
