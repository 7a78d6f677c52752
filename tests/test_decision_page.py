"""The decision page in a real browser (headless Chromium driven by Selenium): decide every
proposal of the sample by keyboard, export the CSV, and the next draft (read by pandoc) says
exactly what was decided; decisions survive a reload; no horizontal scrolling, conflicts on the
first screen at projector and laptop sizes."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SAMPLE_DRAFT

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
ROOT = Path(__file__).resolve().parent.parent
SAMPLE_RETURNS = ROOT / "samples" / "returns"
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run")
SHOTS = "CONSULT_SCREENSHOTS"          # a folder to keep the screenshots in (docs/ has two)

webdriver = pytest.importorskip("selenium.webdriver", reason="pip install selenium")
if not (Path(CHROMIUM).exists() and Path(DRIVER).exists()):
    pytest.skip("needs Debian's chromium and chromium-driver (apt-get install chromium "
                "chromium-driver)", allow_module_level=True)

# What a person means by each change of the sample, in the page's order (conflicts first),
# the key the test presses for it, and what the next draft then reads instead of the draft.
PLAN = [
    ("C1", "1", [("use its best endeavours", "use its all reasonable efforts")]),
    ("C2", "2", [(" The board as a whole approves this policy, publishes the SEN information "
                  "report each year and monitors the accessibility plan.", "")]),
    ("replace \u201cbroad and balanced\u201d with \u201cbroad, balanced and ambitious\u201d", "a",
     [("a broad and balanced curriculum", "a broad, balanced and ambitious curriculum")]),
    ("add a paragraph after it: \u201cPupils and their parents will also be asked each year how"
     " we\u2026\u201d", "a",
     [("described in the SEN information report.\n",
       "described in the SEN information report.\n\nPupils and their parents will also be "
       "asked each year how well we are meeting these aims.\n")]),
    ("replace \u201cbrief staff\u201d with \u201cbrief all staff and governors\u201d", "r", []),
    ("replace \u201conce\u201d with \u201ctwice\u201d", "a",
     [("at least once a term", "at least twice a term")]),
    ("insert \u201c, in line with the complaints procedure in 10.1\u201d after \u201cwith "
     "promptly and fairly\u201d", "r", []),
    ("add a paragraph before it: \u201cSupport staff are trained before they deliver an "
     "interventio\u2026\u201d", "a",
     [("\nTeaching assistants work under", "\nSupport staff are trained before they deliver an"
       " intervention, and the SENCO checks that the training is kept up to date.\n\n"
       "Teaching assistants work under")]),
    ("replace \u201ctwo terms\u201d with \u201cone full term\u201d", "r", []),
    ("delete the paragraph \u201cParents may also request an assessment themselves. The "
     "SENCO\u2026\u201d", "a",
     [("Parents may also request an assessment themselves. The SENCO will help parents who "
       "wish to do so and will explain what information the local authority is likely to "
       "need.\n\n", "")]),
    ("replace \u201ctwelve\u201d with \u201c12\u201d", "a", [("every twelve months",
                                                               "every 12 months")]),
    ("split after \u201csupport that will help.\u201d", "a",
     [("that will help. These meetings", "that will help.\n\nThese meetings")]),
    ("insert \u201c, photographs\u201d after \u201csuch as talking mats\u201d", "r", []),
    ("replace \u201cfour weeks\u201d with \u201ctwo weeks\u201d", "a",
     [("first four weeks", "first two weeks")]),
    ("delete \u201coften in a small group with a familiar adult,\u201d", "a",
     [("visits, often in a small group with a familiar adult, and", "visits, and")]),
]


def _consult(*args: str) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("consult")
    cmd = [str(script)] if script.exists() else [sys.executable, "-c",
                                                  "from consult.cli import main; main()"]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def collated(tmp_path_factory):
    """The sample collated the way the README says: c.docx and rep/report.html."""
    out = tmp_path_factory.mktemp("decide")
    done = _consult("collate", str(SAMPLE_DRAFT), str(SAMPLE_RETURNS), "-o",
                    str(out / "c.docx"), "--report", str(out / "rep"))
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture
def browser(tmp_path):
    """Headless Chromium with a fresh profile; downloads go to tmp_path / "downloads"."""
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    opts.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                           "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads
    yield driver
    driver.quit()


def _open(driver, collated: Path, size=(1280, 720)) -> None:
    w, h = size
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": False})
    driver.get((collated / "rep" / "report.html").as_uri())


def _items(driver) -> list[str]:
    """What each decision on the page is about: a conflict's id, else the proposal's words."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('.item')).map(e => e.dataset.c || "
        "e.querySelector('.what').textContent)")


def _press(driver, keys: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    for key in keys:
        ActionChains(driver).send_keys(key).perform()


def _wait_for_file(folder: Path, pattern: str) -> Path:
    for _ in range(200):                # the download is written by the browser process
        found = [p for p in folder.glob(pattern) if not p.name.endswith(".crdownload")]
        if found:
            return found[0]
        time.sleep(0.05)
    raise AssertionError(f"no {pattern} downloaded into {folder}")


def _plain(path: Path) -> str:
    return subprocess.run(["pandoc", "-t", "plain", "--wrap=none", str(path)],
                          capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(not shutil.which("pandoc"), reason="needs pandoc")
def test_decide_every_proposal_by_keyboard_then_accept_reads_as_decided(browser, collated):
    _open(browser, collated)
    assert _items(browser) == [label for label, _, _ in PLAN]
    _press(browser, "".join(key for _, key, _ in PLAN))
    # the choice shows at once in the paragraph's text (display:none text is not read)
    text = browser.find_element("css selector", '[data-ins="P1"]').find_element(
        "xpath", "./ancestor::p[1]").text
    assert "a broad, balanced and ambitious curriculum" in text and "broad and balanced" not in text
    assert browser.find_element("id", "progress").text.startswith("18 of 18 proposals decided")
    browser.find_element("id", "export").click()
    exported = _wait_for_file(browser.downloads, "*.csv")
    assert exported.read_bytes().decode("utf-8") == browser.execute_script(
        "return consultDecisions.csv()")
    done = _consult("accept", str(collated / "c.docx"), "--decisions", str(exported), "-o",
                    str(collated / "next.docx"))
    assert done.returncode == 0, done.stderr
    # 27 tracked changes in c.docx: 8 rejected (brief staff 2, complaints 1, two terms 2,
    # photographs 1, Group 4's "full powers" 1, Group 2's "every autumn term" 1), none left
    assert done.stdout.startswith("Accepted 19 changes, rejected 8, left 0;")
    assert done.stderr == ""                    # every row matched, none disagreed
    expected = _plain(SAMPLE_DRAFT)
    for _, _, edits in PLAN:
        for old, new in edits:
            assert expected.count(old) == 1, old
            expected = expected.replace(old, new)
    assert _plain(collated / "next.docx") == expected


def test_decisions_kept_across_reload_and_imported_elsewhere(browser, collated, tmp_path):
    _open(browser, collated)
    _press(browser, "2ra")          # C1: Group 4's version; C2: the draft's text; accept P1
    state = browser.execute_script("return consultDecisions.state()")
    browser.refresh()
    assert browser.execute_script("return consultDecisions.state()") == state
    assert state["C1"] == "v:Group 4"
    chosen = browser.find_element("css selector", '#C1 button.chosen').text
    assert "Group 4" in chosen
    exported = browser.execute_script("return consultDecisions.csv()")
    browser.execute_script("localStorage.clear()")
    browser.refresh()
    assert browser.execute_script("return consultDecisions.state()") == {}
    path = tmp_path / "decisions.csv"
    path.write_text(exported, encoding="utf-8")
    browser.find_element("id", "import").send_keys(str(path))
    for _ in range(200):
        if browser.execute_script("return consultDecisions.state()") == state:
            break
        time.sleep(0.05)
    assert browser.execute_script("return consultDecisions.state()") == state


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_no_horizontal_scrolling_and_conflicts_on_first_screen(browser, collated, size,
                                                               tmp_path):
    _open(browser, collated, size)
    for mode in ("page", "projector"):
        if mode == "projector":
            browser.find_element("id", "projector").click()
        width, inner, height, tops = browser.execute_script(
            "return [document.scrollingElement.scrollWidth, innerWidth, innerHeight, "
            "Array.from(document.querySelectorAll('.conflict')).map(c => "
            "c.getBoundingClientRect().top)]")
        shot = tmp_path / f"{mode}-{size[0]}x{size[1]}.png"
        browser.save_screenshot(str(shot))
        if os.environ.get(SHOTS):
            shutil.copyfile(shot, Path(os.environ[SHOTS]) / f"decision-page-{shot.name}")
        assert width <= inner, (mode, size)
        assert tops and 0 <= tops[0] < height, (mode, size, tops)
        if mode == "page":
            assert all(top < height for top in tops), tops


def test_share_mode_shows_one_groups_responses_in_order(browser, collated):
    _open(browser, collated)
    from selenium.webdriver.support.ui import Select
    Select(browser.find_element("id", "share")).select_by_visible_text("Group 5")
    shown = browser.execute_script(
        "return Array.from(document.querySelectorAll('.item')).filter(e => e.offsetParent)"
        ".map(e => e.dataset.c || e.querySelector('.what').textContent)")
    assert shown == [label for label, _, _ in PLAN[8:12]]


def test_page_data_names_no_machine_path(collated):
    page = (collated / "rep" / "report.html").read_text(encoding="utf-8")
    assert str(ROOT) not in page and str(collated) not in page
    data = json.loads(page.split('id="consult-data">', 1)[1].split("</script>", 1)[0])
    assert len(data["proposals"]) == 18 and sorted(data["conflicts"]) == ["C1", "C2"]


ROW_MARK = "lo-resave__Open-Xml-Pow__NewDocxDocuments_RevisionTracking.docx"


def _real_files() -> list:
    """Real annotated files with tracked changes (every sixth, and the known row-mark case)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from test_roundtrip_real import FILES
    picked = FILES[::6]
    params = [pytest.param(n, id=n[:50]) for n in picked if n != ROW_MARK]
    if ROW_MARK in FILES:
        params.append(pytest.param(ROW_MARK, id="row-mark", marks=pytest.mark.xfail(
            strict=True, reason="consult accept matches no decision row to a deleted table "
                                "row's mark (its text is only tabs), so it follows the mode")))
    return params


@pytest.mark.skipif(not shutil.which("pandoc"), reason="needs pandoc")
@pytest.mark.parametrize("name", _real_files())
def test_real_returns_accepted_or_rejected_on_the_page(browser, name, tmp_path):
    """A real file as the only return (its draft: every change rejected): accepting every
    proposal on the page reads like `consult accept --all`, rejecting every one like the draft."""
    from test_roundtrip_real import CORPUS, make_draft
    from consult.accept import accept
    from consult.collate import collate
    from consult.report import write_reports
    from consult.split import load_draft
    src = CORPUS / name
    draft = make_draft(src, tmp_path)
    col = collate(load_draft(draft), [src])
    col.save(tmp_path / "c.docx")
    write_reports(col, tmp_path / "rep")
    accept(tmp_path / "c.docx", tmp_path / "all.docx", mode="all")
    for key, expected in (("a", tmp_path / "all.docx"), ("r", draft)):
        browser.get((tmp_path / "rep" / "report.html").as_uri())
        browser.execute_script("localStorage.clear()")
        browser.refresh()
        _press(browser, key * len(_items(browser)))
        decisions = tmp_path / f"{key}.csv"
        decisions.write_bytes(browser.execute_script("return consultDecisions.csv()")
                              .encode("utf-8"))
        done = accept(tmp_path / "c.docx", tmp_path / f"{key}.docx", decisions=decisions)
        assert done.left == 0
        assert _plain(tmp_path / f"{key}.docx") == _plain(expected), key
