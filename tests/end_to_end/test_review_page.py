"""The review page: built from document.json and the PDF, checked in a real (headless) Chromium.

The browser tests need Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them);
without them they skip with a message, except where ``REVIEW_BROWSER_REQUIRED=1`` (CI), where
they fail.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from pipeline.review import REVIEW_NAME, ReviewConfig, review_data, write_review
from pipeline.review.command import ReviewError, review_document
from tests.batch.test_cli import run_cli
from tests.fixtures import base as fbase

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "extracted"
RAW = ROOT / "raw"


def _sample_doc_id() -> str:
    with (SAMPLE / "documents.csv").open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.DictReader(handle))["doc_id"]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def sample_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed sample's review page, written into a temporary folder."""
    doc_id = _sample_doc_id()
    document = json.loads((SAMPLE / doc_id / "document.json").read_text(encoding="utf-8"))
    out = tmp_path_factory.mktemp("review")
    return write_review(document, RAW / document["metadata"]["file_name"], out)


# ------------------------------------------------------------------ without a browser


def test_every_mention_with_a_page_gets_a_box_on_its_page() -> None:
    doc_id = _sample_doc_id()
    document = json.loads((SAMPLE / doc_id / "document.json").read_text(encoding="utf-8"))
    data = review_data(document, RAW / document["metadata"]["file_name"], ReviewConfig())
    assert data["kind"] == "pdf" and all(p["image"].startswith("data:image/jpeg;base64,") for p in data["pages"])
    views = {p["number"]: p["view"] for p in data["pages"]}
    placed = [m for m in data["mentions"] if m["page"] is not None]
    assert placed and all(m["rects"] for m in placed)
    for mention in placed:
        left, upper, right, lower = views[mention["page"]]
        for x0, top, x1, bottom in mention["rects"]:
            assert left - 1 <= x0 < x1 <= right + 1 and upper - 1 <= top < bottom <= lower + 1, mention
    # most mentions are found character by character, not drawn over their whole block
    boxes = {b["id"]: b["bbox"] for b in data["blocks"]}
    whole_block = [m for m in placed if m["rects"] == [boxes.get(m["unit"])]]
    assert len(whole_block) < 0.05 * len(placed)


def test_the_page_is_self_contained(sample_page: Path) -> None:
    html = sample_page.read_text(encoding="utf-8")
    for external in ('src="http', "src='http", "<link", "@import", "url(http", "<script src"):
        assert external not in html, external  # nothing is fetched: it works offline


def test_a_text_input_gets_its_text_with_the_mentions_marked(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "memo.txt").write_text("株式会社サンプル精工は令和5年度に3億円の補助を受けた。\n", encoding="utf-8")
    assert run_cli("extract", "raw", "-o", "out", "--review", cwd=tmp_path).returncode == 0
    data = json.loads((tmp_path / "out" / "memo" / "document.json").read_text(encoding="utf-8"))
    page = review_data(data, None, ReviewConfig())
    assert page["kind"] == "text" and page["fullText"]
    html = (tmp_path / "out" / "memo" / REVIEW_NAME).read_text(encoding="utf-8")
    assert "株式会社サンプル精工" in html
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert REVIEW_NAME in manifest["documents"][0]["outputs"]


def test_extract_review_writes_the_page_and_a_later_review_run_redoes_skipped_files(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    page = fbase.PageSpec(lines=[fbase.TextLine("第1章　概要", fbase.MARGIN_L, 72.0, 14.0, bold=True),
                                 fbase.TextLine("見本市は令和6年度に上限500万円を助成する。", fbase.MARGIN_L, 100.0, 10.5)])
    fbase.write_pdf(tmp_path / "raw" / "notice.pdf", [page])
    assert run_cli("extract", "raw", "-o", "out", cwd=tmp_path).returncode == 0
    assert not (tmp_path / "out" / "notice" / REVIEW_NAME).exists()
    again = run_cli("extract", "raw", "-o", "out", "--review", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "out" / "notice" / REVIEW_NAME).is_file()  # the unchanged file was redone for it


def test_the_review_command_finds_the_input_and_says_what_is_missing(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    fbase.write_text_pdf(tmp_path / "raw" / "notice.pdf", [[fbase.TextLine("見本市の概要", fbase.MARGIN_L, 72.0, 14.0)]])
    assert run_cli("extract", "raw", "-o", "out", cwd=tmp_path).returncode == 0
    written = run_cli("review", "notice", "-o", "out", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert (tmp_path / "out" / "notice" / REVIEW_NAME).is_file()
    missing = run_cli("review", "nothing", "-o", "out", cwd=tmp_path)
    assert missing.returncode == 2 and "no extraction of 'nothing'" in missing.stderr
    (tmp_path / "raw" / "notice.pdf").unlink()
    with pytest.raises(ReviewError, match="--input.*--no-images"):
        review_document(tmp_path / "out", "notice", [tmp_path / "raw"])
    assert review_document(tmp_path / "out", "notice", [tmp_path / "raw"], images=False).is_file()


# ------------------------------------------------------------------ in a real browser


def _browser_paths() -> tuple[str, str] | None:
    browser = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    paths = _browser_paths()
    if paths is None:
        message = "headless Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
        if os.environ.get("REVIEW_BROWSER_REQUIRED") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1400,1000"):
        options.add_argument(argument)
    options.binary_location = paths[0]
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(paths[1]), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def opened(browser: WebDriver, sample_page: Path) -> WebDriver:
    browser.get(sample_page.as_uri())
    return browser


def test_the_page_loads_without_console_errors(opened: WebDriver) -> None:
    errors = [entry for entry in opened.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, errors
    pages = json.loads((SAMPLE / _sample_doc_id() / "document.json").read_text(encoding="utf-8"))["pages"]
    assert len(opened.find_elements("css selector", ".page-wrap")) == len(pages)


def test_the_outline_has_a_line_per_section(opened: WebDriver) -> None:
    sections = _rows(SAMPLE / _sample_doc_id() / "sections.csv")
    links = opened.find_elements("css selector", "#outline a")
    assert len(links) == len(sections)
    assert [link.text for link in links] == [row["title"] for row in sections]


def test_clicking_an_outline_entry_scrolls_to_its_heading_on_its_page(opened: WebDriver) -> None:
    sections = _rows(SAMPLE / _sample_doc_id() / "sections.csv")
    for target in (sections[len(sections) // 3], sections[len(sections) * 2 // 3], sections[-1]):
        opened.execute_script("window.scrollTo(0, 0)")
        opened.find_element("css selector", f'#outline a[data-section="{target["section_id"]}"]').click()
        shown = opened.execute_script(
            """const a = document.querySelector('#outline a[data-section="' + arguments[0] + '"]');
               const node = document.querySelector('.flash');
               const box = node.getBoundingClientRect();
               return [node.closest('.page').dataset.page, box.top >= 0 && box.bottom <= window.innerHeight,
                       node.textContent || node.title];""", target["section_id"])
        assert shown[0] == target["page"] and shown[1], (target, shown)
        assert target["title"][:4] in shown[2], (target, shown)


def test_every_mention_with_a_page_is_highlighted(opened: WebDriver) -> None:
    mentions = [row for row in _rows(SAMPLE / _sample_doc_id() / "mentions.csv") if row["page"]]
    marks = opened.find_elements("css selector", ".page .mention")
    assert len(marks) == len(mentions)
    title = opened.execute_script("return document.querySelector('.mention .mark').title")
    assert "(E" in title  # the entity id and the normalized value on hover


def test_picking_an_entity_marks_all_its_mentions(opened: WebDriver) -> None:
    entities = _rows(SAMPLE / _sample_doc_id() / "entities.csv")
    most = max(entities, key=lambda row: int(row["mentions"]))
    opened.find_element("css selector", f'#entities a[data-entity="{most["entity_id"]}"]').click()
    picked = opened.find_elements("css selector", ".mention.picked")
    assert len(picked) == int(most["mentions"])


def test_a_screenshot_is_not_blank(opened: WebDriver) -> None:
    from PIL import Image, ImageStat

    opened.execute_script("document.getElementById('page-2').scrollIntoView()")
    picture = Image.open(io.BytesIO(opened.get_screenshot_as_png())).convert("L")
    assert ImageStat.Stat(picture).stddev[0] > 20
    assert len(picture.getcolors(maxcolors=1 << 16) or range(1 << 16)) > 50


def test_text_from_the_pdf_cannot_break_the_page(tmp_path: Path, browser: WebDriver) -> None:
    """A PDF may print anything: <!--<script> or </script> in its text leave the page working."""
    doc_id = _sample_doc_id()
    document = json.loads((SAMPLE / doc_id / "document.json").read_text(encoding="utf-8"))
    document["blocks"][0]["text"] = "見本 <!--<script> </script><b>太字</b> & 終わり"
    document["metadata"]["title"] = "<b>見本</b> & 題名"
    page = write_review(document, None, tmp_path)
    script = page.read_text(encoding="utf-8").split('type="application/json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script and ">" not in script
    browser.get(page.as_uri())
    assert len(browser.find_elements("css selector", "#outline a")) == len(document["sections"])
    assert browser.title == "Review: <b>見本</b> & 題名"


def test_a_text_input_shows_its_marks_inside_their_paragraphs(tmp_path: Path, browser: WebDriver) -> None:
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "memo.txt").write_text("株式会社サンプル精工は令和5年度に3億円の補助を受けた。\n", encoding="utf-8")
    assert run_cli("extract", "raw", "-o", "out", "--review", cwd=tmp_path).returncode == 0
    browser.get((tmp_path / "out" / "memo" / REVIEW_NAME).as_uri())
    marks = browser.find_elements("css selector", ".text-doc .para mark")
    assert len(marks) == len(_rows(tmp_path / "out" / "memo" / "mentions.csv")) >= 3
    assert all(mark.is_displayed() and mark.location["y"] > 0 for mark in marks)
    paragraph = browser.find_element("css selector", ".text-doc .para").text
    assert paragraph.startswith("株式会社サンプル精工は令和5年度に3億円")


def _cropped_pdf(path: Path, crop: tuple[float, float, float, float] | None, rotation: int = 0) -> Path:
    """A one-page PDF with a paragraph naming an organization, with a crop box or a rotation."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    regular, bold = fbase.register_fonts()
    canvas = Canvas(str(path), pagesize=A4)
    if crop is not None:
        canvas.setCropBox(crop)
    if rotation:
        canvas.setPageRotation(rotation)
    canvas.setFont(bold, 14.0)
    canvas.drawString(fbase.MARGIN_L, A4[1] - 134.0, "第1章　見本市の支援")
    canvas.setFont(regular, 10.5)
    canvas.drawString(fbase.MARGIN_L, A4[1] - 160.5, "見本市は株式会社サンプル精工に令和6年度に500万円を助成する。")
    canvas.showPage()
    canvas.save()
    return path


@pytest.mark.parametrize("crop", [None, (40.0, 300.0, 560.0, 800.0)])
def test_mentions_are_placed_on_a_page_cut_from_a_larger_sheet(tmp_path: Path, crop: tuple | None) -> None:
    from pipeline.export.documents import document_dict
    from tests.fixtures.runs import run_pipeline

    pdf = _cropped_pdf(tmp_path / "cropped.pdf", crop)
    data = review_data(document_dict(run_pipeline(pdf)), pdf, ReviewConfig())
    page = data["pages"][0]
    left, top, right, bottom = page["view"]
    assert (right - left, bottom - top) == pytest.approx((520.0, 500.0) if crop else (595.28, 841.89), abs=0.5)
    boxes = {b["id"]: b["bbox"] for b in data["blocks"]}
    placed = [m for m in data["mentions"] if m["page"] == 1]
    assert len(placed) >= 3
    for mention in placed:
        assert mention["rects"] != [boxes[mention["unit"]]], mention  # found character by character
        for x0, y0, x1, y1 in mention["rects"]:
            assert left <= x0 < x1 <= right and top <= y0 < y1 <= bottom, (mention, page["view"])


def test_a_rotated_page_draws_mentions_over_their_blocks(tmp_path: Path) -> None:
    from pipeline.export.documents import document_dict
    from tests.fixtures.runs import run_pipeline

    pdf = _cropped_pdf(tmp_path / "turned.pdf", None, rotation=90)
    data = review_data(document_dict(run_pipeline(pdf)), pdf, ReviewConfig())
    boxes = {b["id"]: b["bbox"] for b in data["blocks"]}
    assert data["pages"][0]["view"][:2] == [0.0, 0.0]
    assert all(m["rects"] == [boxes[m["unit"]]] for m in data["mentions"] if m["page"] == 1)
