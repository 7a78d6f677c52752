"""The live session in a real browser (Debian's headless Chromium, driven by Selenium): a
group selects words and comments on them and suggests a replacement, another uploads its
marked-up pack, the facilitator's page shows both within seconds, and closing gives a
collated.docx that pandoc reads with the comment on the selected words and the suggestions
as tracked changes. A phone-sized viewport (375x667) works too."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

webdriver = pytest.importorskip("selenium.webdriver")
httpx = pytest.importorskip("httpx")
pytest.importorskip("uvicorn")

from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from conftest import need  # noqa: E402
from edit_docx import Docx, add_comment  # noqa: E402
from live_support import free_port, make_session, pandoc_read, server  # noqa: E402
from consult.web import links  # noqa: E402
from consult.web.session import Session  # noqa: E402

CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--disable-features=Translate")
WAIT = 15           # seconds an explicit wait may take at most (polling is every 2 s)
DATE = "2026-11-30T10:00:00Z"

if not (CHROMIUM.exists() and DRIVER.exists()):
    pytest.skip("Debian's chromium and chromium-driver are not installed (.ci/run installs "
                "them)", allow_module_level=True)

SELECT = """
const [para, start, end] = arguments;
const el = document.querySelector('.t[data-p="' + para + '"]');
el.scrollIntoView({block: 'center'});
const node = el.firstChild;
const range = document.createRange();
range.setStart(node, start);
range.setEnd(node, end);
const sel = window.getSelection();
sel.removeAllRanges();
sel.addRange(range);
"""


@pytest.fixture
def browsers():
    """Start Chromium sessions on demand; every one is quit and its profile removed."""
    made: list = []

    def start(phone: bool = False):
        profile = tempfile.mkdtemp(prefix="consult-chromium-")
        options = Options()
        options.binary_location = str(CHROMIUM)
        for flag in FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={profile}")
        if phone:
            options.add_experimental_option("mobileEmulation", {"deviceMetrics": {
                "width": 375, "height": 667, "pixelRatio": 2.0, "touch": True}})
        else:
            options.add_argument("--window-size=1280,900")
        driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
        made.append((driver, profile))
        return driver

    yield start
    for driver, profile in made:
        try:
            driver.quit()
        finally:
            shutil.rmtree(profile, ignore_errors=True)


def a_paragraph(session: Path, group_index: int) -> tuple[int, str]:
    s = Session(session)
    g = s.store.groups()[group_index]
    for sid in g.sections:
        sec = s.draft.section(sid)
        for p in s.draft.paragraphs[sec.start:sec.end]:
            if p.outline is None and not p.in_table and len(p.text.split()) > 15:
                return p.index, p.text
    raise AssertionError


def unique_words(text: str, n: int) -> list[str]:
    out = []
    for w in text.split():
        w = w.strip(".,;:()")
        if len(w) > 4 and text.count(w) == 1 and w not in out:
            out.append(w)
    return out[:n]


def select_and(driver, para: int, text: str, words: str, kind: str, typed: str) -> None:
    start = text.index(words)
    driver.execute_script(SELECT, para, start, start + len(words))
    wait = WebDriverWait(driver, WAIT)
    wait.until(EC.text_to_be_present_in_element((By.ID, "quote"), words))
    box = wait.until(EC.visibility_of_element_located((By.ID, "text")))
    box.clear()
    box.send_keys(typed)
    driver.find_element(By.ID, f"do-{kind}").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "mine"), typed))


def norm(text: str) -> str:
    return " ".join(text.split())


def test_group_responds_facilitator_sees_it_and_closes(folder, browsers):
    need("pandoc")
    session = make_session(folder, groups=3)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    fac_url, groups = links(session, base)
    para, text = a_paragraph(session, 0)
    w1, w2 = unique_words(text, 2)
    with server(session, port):
        facilitator = browsers()
        facilitator.get(fac_url)
        WebDriverWait(facilitator, WAIT).until(
            EC.text_to_be_present_in_element((By.ID, "groups"), "Group 3"))
        group = browsers()
        group.get(groups[0][1])
        select_and(group, para, text, w1, "comment", "Say who decides this")
        select_and(group, para, text, w2, "replace", "NEWWORDS")
        # Group 2 works in Word: its pack, marked up, uploaded through its page.
        pack = folder / "pack.docx"
        pack.write_bytes(httpx.get(groups[1][1] + "/pack.docx", timeout=30).content)
        p2, t2 = a_paragraph(session, 1)
        doc = Docx.open(pack)
        add_comment(doc, t2[:40], "From our Word pack", "Group 2", "G2", DATE)
        marked = folder / "Group 2 marked.docx"
        doc.save(marked)
        group.get(groups[1][1])
        group.find_element(By.ID, "file").send_keys(str(marked))
        group.find_element(By.ID, "send-file").click()
        WebDriverWait(group, WAIT).until(EC.presence_of_element_located(
            (By.CSS_SELECTOR, "#upload-note, #upload-error")))
        assert group.find_elements(By.ID, "upload-note"), group.page_source[:3000]
        # The facilitator's page, left open, catches up by itself.
        wait = WebDriverWait(facilitator, WAIT)
        wait.until(lambda d: _row(d, "Group 1")[2:4] == ["1", "1"])
        wait.until(lambda d: "1 comments" in _row(d, "Group 2")[4])
        facilitator.find_element(By.ID, "close-button").click()
        link = WebDriverWait(facilitator, 120).until(
            EC.presence_of_element_located((By.ID, "file-collated-docx")))
        assert link.get_attribute("href").endswith("/files/collated.docx")
    comments, changes, _ = pandoc_read(session / "collated.docx")
    mine = [(c.author, c.text, c.words) for c in comments if c.author.startswith("Group")]
    assert ("Group 1", "Say who decides this", w1) in mine
    assert any(a == "Group 2" and t == "From our Word pack" for a, t, _ in mine)
    g1 = [(ch.kind, ch.text, norm(ch.before)) for ch in changes if ch.author == "Group 1"]
    at = text.index(w2)
    assert g1 == [("deletion", w2, norm(text[:at])), ("insertion", "NEWWORDS", norm(text[:at + len(w2)]))]


def _row(driver, name: str) -> list[str]:
    """The cells of ``name``'s row on the facilitator's page ([] while the page is redrawing
    the table under the reader: the wait asks again)."""
    try:
        for tr in driver.find_elements(By.CSS_SELECTOR, "#groups tbody tr"):
            cells = [td.text for td in tr.find_elements(By.TAG_NAME, "td")]
            if cells and cells[0] == name:
                return cells
    except StaleElementReferenceException:
        pass
    return []


def test_phone_sized_viewport(folder, browsers):
    session = make_session(folder / "phone", groups=2)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    _, groups = links(session, base)
    para, text = a_paragraph(session, 1)
    word = unique_words(text, 1)[0]
    with server(session, port):
        phone = browsers(phone=True)
        phone.get(groups[1][1])
        width = phone.execute_script("return document.documentElement.clientWidth")
        assert width == 375
        assert phone.execute_script("return document.documentElement.scrollWidth") <= width
        start = text.index(word)
        phone.execute_script(SELECT, para, start, start + len(word))
        wait = WebDriverWait(phone, WAIT)
        wait.until(EC.visibility_of_element_located((By.ID, "panel")))
        for name in ("text", "do-comment", "do-replace", "do-insert", "do-delete"):
            rect = phone.find_element(By.ID, name).rect
            assert 0 <= rect["x"] and rect["x"] + rect["width"] <= 375, name
            assert rect["y"] + rect["height"] <= 667, name
        phone.find_element(By.ID, "text").send_keys("Too long for parents")
        phone.find_element(By.ID, "do-comment").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "mine"), "Too long for parents"))
        phone.save_screenshot(str(folder / "phone.png"))
        shutil.copy(folder / "phone.png", Path(tempfile.gettempdir()) / "consult-phone.png")
    stored = Session(session).store.responses()
    assert [(r.kind, r.quote, r.text) for r in stored] == [("comment", word, "Too long for parents")]
