"""Article metadata: date, news code, outlet and headline, from the text and its chrome."""

import datetime as dt

from fact_texts import resolved

from kg_builder.facts import metadata
from kg_builder.facts.metadata import NewsAgency
from kg_builder.model import Metadata


def test_metadata_from_the_chrome_and_the_body():
    res = resolved("کد خبر: 4455667\n۱۲ مهر ۱۴۰۲ - ۱۰:۳۰\n\n"
                   "افزایش خدمات بهزیستی در استان یزد در سال جاری\n\n"
                   "یزد - ایرنا - خدمات توانبخشی در استان یزد افزایش یافت.\n", metadata)
    md = res.need(Metadata)
    assert md.published == dt.date(2023, 10, 4) and md.published_jalali == "1402-07-12"
    assert md.news_code == "4455667" and md.headline == "افزایش خدمات بهزیستی در استان یزد در سال جاری"
    assert md.agency == "ایرنا" and res.doc.raw[md.agency_span.start:md.agency_span.end] == "ایرنا"
    assert [e.label for e in res.entities.values() if isinstance(e, NewsAgency)] == ["ایرنا"]


def test_a_leading_gregorian_date_line_is_the_publication_date():
    res = resolved(" date 2023-10-04 افزایش خدمات بهزیستی در استان یزد در سال جاری\n"
                   "امروز: شنبه ۱۰ آذر ۱۴۰۳\n"
                   "یزد - ایرنا - خدمات توانبخشی در استان یزد افزایش یافت.\n", metadata)
    md = res.need(Metadata)
    assert md.published == dt.date(2023, 10, 4) and md.published_jalali == "1402-07-12"
    assert res.doc.raw[md.published_span.start:md.published_span.end] == "2023-10-04"
