"""The member paper pack and the letter pack are merged from several PDFs: the merge keeps
the language and the tagged structure of the part PanelHub renders first (the cover and
agenda, or a letter), as the Board report and the public minutes are tagged."""

import io

from pypdf import PdfReader

from panelhub.pdf import html_to_pdf, merged_pdf


def _catalogue(pdf: bytes):
    return PdfReader(io.BytesIO(pdf)).trailer["/Root"]


def test_a_merged_pack_keeps_the_language_and_the_tags_of_its_first_part():
    cover = html_to_pdf(
        '<html lang="en-GB"><body><h1>Agenda</h1><ol><li>Minutes</li></ol></body></html>',
        tagged=True,
    )
    paper = html_to_pdf("<html><body><p>An uploaded paper</p></body></html>", tagged=False)
    pack = merged_pdf([cover, paper, paper], title="Agenda and papers: Test Panel")
    root = _catalogue(pack)
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root, "the cover's tagged structure was dropped"
    assert bool(root["/MarkInfo"]["/Marked"])
    reader = PdfReader(io.BytesIO(pack))
    assert len(reader.pages) == 3
    assert reader.metadata.title == "Agenda and papers: Test Panel"
    assert "Agenda" in reader.pages[0].extract_text()
    assert "An uploaded paper" in reader.pages[2].extract_text()
