"""An invoice as a PDF, with everything Dutch law asks of an invoice (art. 35a Wet OB).

fpdf2 because it is small, pure Python and well kept, writes text as text (a PDF reader, a search
and our tests read it back), wraps table cells, and embeds a subset of a TrueType font: DejaVu
Sans, shipped in fonts/ under its free licence, carries €, the Dutch diacritics and every other
character a customer may type into a company name; HarfBuzz (uharfbuzz) shapes the text, so Arabic
joins and runs right to left, and a character no shipped font has (most emoji) prints as a visible
replacement mark rather than vanishing. Text is always placed literally (fpdf2's
markdown stays off). One A4 page in the normal case; a long invoice continues on the next with
the table's header repeated.

Deterministic: the creation date is the issue date, so the same invoice gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from importlib import resources

from tribe_tui import formatting
from tribe_tui.countries import country_name
from tribe_tui.documents import InvoiceDocument, Party, clean_text
from tribe_tui.i18n import t

FONT = "DejaVuSans"
REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
MARGIN = 18  # mm
GREY = (90, 90, 90)


def render_pdf(doc: InvoiceDocument) -> bytes:
    from fpdf import FPDF  # here: a few hundred milliseconds that only a PDF needs
    from fpdf.fonts import FontFace

    lang = doc.language
    page_label = t("doc.page", lang)
    title = t("label.credit_note", lang) if doc.is_credit_note else t("label.invoice", lang)

    def shown(amount: Decimal) -> Decimal:  # a credit note shows what it credits as negative amounts (never "-0,00")
        return -amount if doc.is_credit_note and amount else amount

    class InvoicePdf(FPDF):
        def footer(self) -> None:  # every page: which invoice, which page of how many
            # Our own words and numbers only: unshaped, so the page-count alias is filled in as text.
            self.set_text_shaping(False)
            self.set_y(-MARGIN + 6)
            self.set_font(FONT, "", 7.5)
            self.set_text_color(*GREY)
            self.cell(0, 4, f"{title} {doc.number} · {page_label} {self.page_no()}/{{nb}}", align="C")
            self.set_text_shaping(True)  # the next page's text is shaped again

    pdf = InvoicePdf(format="A4", unit="mm")
    pdf.set_creation_date(dt.datetime(doc.issued.year, doc.issued.month, doc.issued.day, tzinfo=dt.UTC))
    pdf.set_title(f"{title} {doc.number}")
    pdf.set_author(printable(doc.seller.name))
    pdf.set_lang(lang)
    fonts = resources.files("tribe_tui.documents").joinpath("fonts")
    with resources.as_file(fonts) as folder:
        pdf.add_font(FONT, "", str(folder / REGULAR))
        pdf.add_font(FONT, "B", str(folder / BOLD))
    # Shaping (HarfBuzz): Arabic joined and right to left, combining marks placed, as people write
    # them. A character no shipped font has becomes a visible replacement mark (printable): never
    # dropped without a trace.
    pdf.set_text_shaping(True)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.epw

    # The seller, with what identifies them (KvK, btw-id) and where to pay.
    seller = doc.seller
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(width * 0.6, 7, printable(seller.name), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(*GREY)
    for row in _seller_rows(seller, lang):
        pdf.multi_cell(width, 4.5, row, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_text_color(0)
    pdf.set_xy(MARGIN + width * 0.6, MARGIN)
    pdf.set_font(FONT, "B", 20)
    pdf.cell(width * 0.4, 9, title, align="R")
    pdf.set_y(max(pdf.get_y(), MARGIN + 20))

    # The customer (left) and the invoice's own facts (right).
    top = pdf.get_y() + 4
    pdf.set_xy(MARGIN, top)
    pdf.set_font(FONT, "", 8)
    pdf.set_text_color(*GREY)
    pdf.cell(width * 0.5, 5, t("label.to", lang), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_text_color(0)
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(width * 0.48, 5, printable(doc.customer.name), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font(FONT, "", 10)
    for row in _customer_rows(doc, lang):
        pdf.multi_cell(width * 0.48, 5, row, new_x="LMARGIN", new_y="NEXT", align="L")
    left_end = pdf.get_y()

    facts = [
        (t("doc.credit_note_number", lang) if doc.is_credit_note else t("doc.number", lang), doc.number),
        (
            t("doc.credit_note_date", lang) if doc.is_credit_note else t("doc.issued", lang),
            formatting.long_date(doc.issued, lang),
        ),
        (t("doc.credits", lang), f"{doc.credits[0]} ({formatting.short_date(doc.credits[1], lang)})")
        if doc.credits
        else (t("doc.due", lang), formatting.long_date(doc.due, lang)),
        (
            t("label.period", lang),
            f"{formatting.short_date(doc.period_from, lang)} – {formatting.short_date(doc.period_to, lang)}",
        ),
    ]
    if doc.po_reference:
        facts.append((t("field.po_reference", lang), printable(doc.po_reference)))
    pdf.set_y(top + 5)
    for label, value in facts:
        pdf.set_x(MARGIN + width * 0.52)
        pdf.set_font(FONT, "", 9)
        pdf.set_text_color(*GREY)
        pdf.cell(width * 0.2, 5, label)
        pdf.set_text_color(0)
        pdf.set_font(FONT, "B" if label == facts[0][0] else "", 9)
        pdf.multi_cell(width * 0.25, 5, value, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_y(max(left_end, pdf.get_y()) + 8)
    if doc.is_credit_note:  # why the invoice is credited, as the admin wrote it
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(
            width, 5, t("doc.credit_reason", lang, reason=printable(doc.credit_reason)), new_x="LMARGIN", new_y="NEXT"
        )
        pdf.ln(3)

    # The lines: description, service period, quantity, yearly price excl. VAT, days, amount.
    pdf.set_font(FONT, "", 8.5)
    headings = (
        t("preview.description", lang),
        t("label.period", lang),
        t("doc.quantity", lang),
        t("doc.unit_price", lang),
        t("doc.days", lang),
        t("preview.amount", lang),
    )
    with pdf.table(
        col_widths=(29, 29, 8, 14, 9, 15),
        text_align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        borders_layout="HORIZONTAL_LINES",
        line_height=4.6,
        padding=(1.2, 1),
        headings_style=FontFace(emphasis="BOLD"),
        repeat_headings=1,
    ) as table:
        table.row(headings)
        for line in doc.lines:
            table.row(
                (
                    printable(line.description),
                    f"{formatting.short_date(line.period_from, lang)} – {formatting.short_date(line.period_to, lang)}",
                    str(line.quantity),
                    formatting.money(line.unit_price, lang),
                    f"{line.days}/{line.period_days}",
                    formatting.money(shown(line.amount), lang),
                )
            )
    pdf.ln(3)

    # Subtotal, VAT per rate (here one rate) and total, right-aligned under the amounts.
    vat_label = (
        formatting.vat_label(doc.vat_rate, doc.vat_reason, lang)
        + " "
        + t("doc.vat_over", lang, amount=formatting.money(shown(doc.subtotal), lang))
    )
    for label, amount, bold in (
        (t("label.subtotal", lang), doc.subtotal, False),
        (vat_label, doc.vat, False),
        (t("label.total", lang), doc.total, True),
    ):
        pdf.set_font(FONT, "B" if bold else "", 10 if bold else 9)
        pdf.set_x(MARGIN + width * 0.35)
        pdf.cell(width * 0.45, 6, label, align="R")
        pdf.cell(width * 0.2, 6, formatting.money(shown(amount), lang), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    pdf.set_font(FONT, "", 9)
    if doc.vat_reason == "reverse_charge":
        pdf.set_font(FONT, "B", 9)
        pdf.multi_cell(
            width,
            5,
            t("vat.reverse_charge_line", lang, vat_number=doc.customer_vat_number),
            new_x="LMARGIN",
            new_y="NEXT",
            align="L",
        )
        pdf.set_font(FONT, "", 9)
    elif doc.vat_reason == "outside_eu":
        pdf.set_font(FONT, "B", 9)
        pdf.multi_cell(width, 5, t("vat.outside_eu_line", lang), new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.set_font(FONT, "", 9)
    pdf.ln(2)
    if doc.is_credit_note:
        pdf.multi_cell(
            width,
            5,
            t(
                "doc.credit_payment",
                lang,
                amount=formatting.money(doc.total, lang),
                number=doc.credits[0] if doc.credits else "",
            ),
            new_x="LMARGIN",
            new_y="NEXT",
            align="L",
        )
        return bytes(pdf.output())
    pdf.multi_cell(width, 5, _how_to_pay(doc), new_x="LMARGIN", new_y="NEXT", align="L")
    return bytes(pdf.output())


# What follows a character and belongs to it: a zero-width joiner (emoji sequences), variation
# selectors, emoji skin-tone modifiers. After a replacement mark they are part of what it replaces.
_BELONGS = frozenset("\u200d\ufe0e\ufe0f") | frozenset(chr(c) for c in range(0x1F3FB, 0x1F400))
REPLACEMENT = "\ufffd"


@cache
def _covered() -> frozenset[int]:
    """The code points the shipped fonts have a glyph for (both faces: a name prints in bold)."""
    from fontTools.ttLib import TTFont

    with resources.as_file(resources.files("tribe_tui.documents").joinpath("fonts")) as folder:
        regular, bold = (set(TTFont(folder / name, lazy=True).getBestCmap()) for name in (REGULAR, BOLD))
    return frozenset(regular & bold)


def printable(text: str) -> str:
    """Stored text as the PDF prints it (clean_text), each character no font has (an emoji, say)
    replaced by one visible mark, its joiners and modifiers included: 👩‍💻 becomes one mark."""
    covered = _covered()
    out: list[str] = []
    joined = False  # a joiner followed a replacement mark: the next missing character is its part
    for ch in clean_text(text):
        replaced = bool(out) and out[-1] == REPLACEMENT
        if replaced and ch in _BELONGS:
            joined = joined or ch == "\u200d"
            continue
        missing = ord(ch) not in covered
        if replaced and joined and missing:
            joined = False
            continue
        joined = False
        out.append(REPLACEMENT if missing else ch)
    return "".join(out)


def _seller_rows(seller: Party, lang: str) -> list[str]:
    place = " ".join(part for part in (seller.postcode, seller.city) if part)
    rows = [
        " · ".join(
            printable(part) for part in (seller.address, place, country_name(seller.country, lang) or "") if part
        )
    ]
    ids = [
        f"{t('field.kvk_number', lang)} {seller.kvk_number}" if seller.kvk_number else "",
        f"{t('field.vat_number', lang)} {seller.vat_number}" if seller.vat_number else "",
        f"IBAN {_spaced_iban(seller.iban)}" if seller.iban else "",
    ]
    rows.append(" · ".join(part for part in ids if part))
    return [row for row in rows if row]


def _customer_rows(doc: InvoiceDocument, lang: str) -> list[str]:
    customer = doc.customer
    rows = []
    if customer.attention:
        attention = printable(customer.attention)
        # Many type the "t.a.v." themselves: never print it twice.
        said = attention.lower().replace(" ", "").startswith(("t.a.v", "tav.", "attn", "terattentie", "f.a.o"))
        rows.append(attention if said else t("doc.attention", lang, name=attention))
    if customer.address:
        rows.append(printable(customer.address))
    place = " ".join(printable(part) for part in (customer.postcode, customer.city) if part)
    if place:
        rows.append(place)
    rows.append(country_name(customer.country, lang) or customer.country)
    if doc.customer_vat_number:
        rows.append(f"{t('field.vat_number', lang)}: {doc.customer_vat_number}")
    if customer.kvk_number:
        rows.append(f"{t('field.kvk_number', lang)}: {customer.kvk_number}")
    return rows


def _how_to_pay(doc: InvoiceDocument) -> str:
    """Transfer to the seller's IBAN by the due date, or: debited automatically on the due date."""
    lang, seller = doc.language, doc.seller
    if doc.direct_debit is not None:
        return t(
            "doc.payment_direct_debit",
            lang,
            amount=formatting.money(doc.total, lang),
            date=formatting.long_date(doc.due, lang),
            iban=_spaced_iban(doc.direct_debit.debtor_iban),
            mandate=doc.direct_debit.mandate,
            creditor_id=doc.direct_debit.creditor_id,
        )
    return t(
        "doc.payment",
        lang,
        amount=formatting.money(doc.total, lang),
        date=formatting.long_date(doc.due, lang),
        days=doc.payment_days,
        iban=_spaced_iban(seller.iban),
        name=clean_text(seller.name),
        number=doc.number,
    )


def _spaced_iban(iban: str) -> str:
    """NL91 ABNA 0417 1643 00: how an IBAN is printed for people."""
    return "\u00a0".join(iban[i : i + 4] for i in range(0, len(iban), 4))  # kept on one line
