#!/usr/bin/env python3
"""The web library as a person meets it, in a real headless Chromium (Debian's chromium and
chromium-driver, driven by Selenium).

    python3 Tests/Browser/web_flow.py BASE_URL PASSWORD SCREENSHOT_DIR FILE FILE FILE

BASE_URL is a running `mediabank serve` (http://127.0.0.1:PORT) over the bank that
Tests/EndToEndTests/BrowserTests.swift makes: accounts `lan` (admin) and `mai` (viewer) with
PASSWORD, four photos titled `<script>alert(1)</script>`, one `Lễ hội Lồng Tồng`, one `Đồi chè`;
the three FILEs are uploaded (two photos new to the bank, titled `Đồi chè Tân Cương 1` and `… 2`,
then `giả.jpg`, which is not one). The dashboard's numbers are compared with those of
`$MEDIABANK_EXECUTABLE report --format json` on the bank `$MEDIABANK_PATH`.
Each step is checked as a person would see it (what is shown, which images loaded); a screenshot
of each page is saved in SCREENSHOT_DIR. Prints one line per step and `N passed, N failed` last;
exits 1 when a step failed.
"""
import json
import os
import subprocess
import sys
import time
import traceback
from urllib.parse import unquote_plus

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, UnexpectedAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900",
                     "--disable-dev-shm-usage", "--lang=vi"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def main():
    base, password, shots, uploads = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    os.makedirs(shots, exist_ok=True)
    driver = browser()
    results = []

    def step(name, body):
        try:
            body()
            results.append(True)
            print(f"ok   {name}")
        except Exception:  # noqa: BLE001 — every failure is reported, then the next step runs
            results.append(False)
            print(f"FAIL {name}\n{traceback.format_exc()}")
        finally:
            try:
                driver.save_screenshot(os.path.join(shots, f"{len(results):02d}-{name}.png"))
            except UnexpectedAlertPresentException:
                pass

    def wait(condition, what):
        """Waits up to 10 s for `condition` (a click starts a navigation; it does not wait for it)."""
        for _ in range(100):
            try:
                if condition():
                    return
            except Exception:  # noqa: BLE001 — the page is being replaced
                pass
            time.sleep(0.1)
        raise AssertionError(f"{what} (at {driver.current_url})")

    def replaced(element):
        """Whether `element` left the page: the page it was on was replaced by another."""
        try:
            element.tag_name
            return False
        except StaleElementReferenceException:
            return True

    def sign_in(name):
        driver.get(base + "/")
        assert driver.current_url.startswith(base + "/login"), driver.current_url
        driver.find_element(By.NAME, "name").send_keys(name)
        driver.find_element(By.NAME, "password").send_keys(password)
        driver.find_element(By.CSS_SELECTOR, "form.signin button").click()
        wait(lambda: not driver.current_url.startswith(base + "/login"), f"{name} is signed in")

    def loaded_images(expected):
        """How many images of the page have loaded, once `expected` have or after 10 s: previews
        load lazily, after the page."""
        count = 0
        for _ in range(100):
            count = driver.execute_script(
                "return Array.from(document.images).filter(i => i.complete && i.naturalWidth > 0).length")
            if count >= expected:
                break
            time.sleep(0.1)
        return count

    def signed_out_sees_sign_in():
        driver.get(base + "/assets/0000")
        assert "/login?next=" in driver.current_url, driver.current_url
        assert driver.find_element(By.TAG_NAME, "h1").text == "Đăng nhập"

    def wrong_password_is_refused():
        driver.get(base + "/login")
        driver.find_element(By.NAME, "name").send_keys("lan")
        driver.find_element(By.NAME, "password").send_keys("not the password")
        driver.find_element(By.CSS_SELECTOR, "form.signin button").click()
        wait(lambda: "Sai tên đăng nhập hoặc mật khẩu." in driver.find_element(By.CSS_SELECTOR, "p.error").text,
             "the refusal is shown")

    def library_shows_every_preview():
        sign_in("lan")
        assert driver.current_url == base + "/", driver.current_url
        items = driver.find_elements(By.CSS_SELECTOR, "ul.grid li")
        assert len(items) == 6, len(items)
        loaded = loaded_images(6)
        assert loaded == 6, loaded
        captions = [item.text for item in items]
        # A hostile title is shown as the text it is, and runs nothing.
        assert captions.count("<script>alert(1)</script>") == 4, captions
        assert "lan" in driver.find_element(By.CSS_SELECTOR, "header .account").text
        assert driver.find_element(By.CSS_SELECTOR, "p.total").text == "6 tư liệu"

    def upload_three_files():
        driver.find_element(By.LINK_TEXT, "Tải lên").click()
        wait(lambda: driver.find_element(By.TAG_NAME, "h1").text == "Tải lên", "the upload page opens")
        driver.find_element(By.NAME, "pillar").send_keys("culture-heritage")
        driver.find_element(By.ID, "files").send_keys("\n".join(uploads))
        wait(lambda: len(driver.find_elements(By.CSS_SELECTOR, "#results tr.added")) == 2
             and len(driver.find_elements(By.CSS_SELECTOR, "#results tr.failed")) == 1, "two added, one refused")
        failed = driver.find_element(By.CSS_SELECTOR, "#results tr.failed").text
        assert "giả.jpg" in failed and "not a JPEG file" in failed, failed

    def search_without_diacritics():
        driver.get(base + "/")
        box = driver.find_element(By.NAME, "q")
        box.send_keys("doi che tan cuong")
        driver.find_element(By.CSS_SELECTOR, "form.filters button").click()
        wait(lambda: "q=doi+che+tan+cuong" in driver.current_url, "the search is in the URL")
        captions = sorted(item.text for item in driver.find_elements(By.CSS_SELECTOR, "ul.grid li"))
        assert captions == ["Đồi chè Tân Cương 1", "Đồi chè Tân Cương 2"], captions

    def filter_by_pillar_facet():
        driver.get(base + "/")
        facet = driver.find_element(By.XPATH, "//aside//a[starts-with(normalize-space(), 'Văn hóa và di sản')]")
        count = facet.find_element(By.XPATH, "../span[@class='count']").text
        assert count == "2", count
        facet.click()
        wait(lambda: "pillar=culture-heritage" in driver.current_url, "the facet is in the URL")
        captions = sorted(item.text for item in driver.find_elements(By.CSS_SELECTOR, "ul.grid li"))
        assert captions == ["Đồi chè Tân Cương 1", "Đồi chè Tân Cương 2"], captions
        assert driver.find_element(By.CSS_SELECTOR, "p.total").text == "2 tư liệu"

    def edit_the_vietnamese_title():
        driver.find_element(By.XPATH, "//ul[@class='grid']//a[normalize-space()='Đồi chè Tân Cương 1']").click()
        wait(lambda: driver.find_element(By.TAG_NAME, "h1").text == "Đồi chè Tân Cương 1", "the asset's page opens")
        assert loaded_images(1) >= 1
        edit = driver.find_element(By.CSS_SELECTOR, "section.edit form")
        language = edit.find_element(By.NAME, "lang")
        assert language.get_attribute("value") == "vi"
        edit.find_element(By.NAME, "title").send_keys("Đồi chè Tân Cương mùa xuân")
        edit.find_element(By.CSS_SELECTOR, "button").click()
        wait(lambda: driver.find_element(By.TAG_NAME, "h1").text == "Đồi chè Tân Cương mùa xuân", "the title changed")

    def accept_a_suggestion():
        # The title's words suggest the pillar of specialty products.
        form = driver.find_element(By.XPATH, "//form[contains(@class, 'review')][input[@value='pillar']]")
        form.find_element(By.CSS_SELECTOR, "button[value=accept]").click()
        wait(lambda: not driver.find_elements(By.XPATH, "//form[contains(@class, 'review')][input[@value='pillar']]"),
             "the pillar suggestion was accepted")
        row = driver.find_element(By.XPATH, "//dd[code='specialty-products']").text
        assert "đã xác nhận" in row, row

    def select_two_and_tag_them():
        driver.get(base + "/?q=tan+cuong")
        boxes = driver.find_elements(By.CSS_SELECTOR, "ul.grid input[type=checkbox]")
        assert len(boxes) == 2, len(boxes)
        for box in boxes:
            box.click()
        bulk = driver.find_element(By.ID, "bulk")
        bulk.find_element(By.CSS_SELECTOR, "select[name=pillar] option[value=green-sustainable]").click()
        bulk.find_element(By.CSS_SELECTOR, "input[name=language]").send_keys("vi")
        page = driver.find_element(By.TAG_NAME, "html")
        bulk.find_element(By.CSS_SELECTOR, "button[value=tag]").click()
        wait(lambda: replaced(page), "the form was sent")
        wait(lambda: unquote_plus(driver.current_url) == base + "/?q=tan cuong", "back on the page")
        driver.get(base + "/?pillar=green-sustainable")
        assert driver.find_element(By.CSS_SELECTOR, "p.total").text == "2 tư liệu"

    def dashboard():
        driver.find_element(By.LINK_TEXT, "Tổng quan").click()
        wait(lambda: driver.find_element(By.TAG_NAME, "h1").text.startswith("Tổng quan"), "the dashboard opens")
        report = json.loads(subprocess.run([os.environ["MEDIABANK_EXECUTABLE"], "report", "--format", "json"],
                                           check=True, capture_output=True).stdout)
        def shown(key):
            return driver.find_element(By.CSS_SELECTOR, f"[data-key='{key}']").text
        for key in ("total", "added", "captured", "retracted", "unconfirmed", "damaged"):
            assert shown(key) == str(report[key]), (key, shown(key), report[key])
        assert report["total"] == 8
        for table, prefix in (("kinds", "kind"), ("pillars", "pillar"), ("languages", "language"),
                              ("provinces", "province")):
            for row in report[table]:
                if row["total"] > 0:
                    assert shown(f"{prefix}:{row['key']}") == str(row["total"]), (prefix, row)
        cells = driver.find_elements(By.CSS_SELECTOR, "svg.gaps g[data-key]")
        assert len(cells) >= 12 * 8, len(cells)
        # The heat map: a cell of the report's grid shows its count as a person sees it; a gap, 0.
        assert {"pillar": "green-sustainable", "language": "vi", "total": 2} in report["pillarLanguages"], \
            report["pillarLanguages"]
        for cell in report["pillarLanguages"]:
            shown_count = driver.find_element(
                By.CSS_SELECTOR, f"svg.gaps g[data-key='gap:{cell['pillar']}|{cell['language']}'] text").text
            assert shown_count == str(cell["total"]), (cell, shown_count)
        for gap in report["gaps"][:3]:
            shown_count = driver.find_element(
                By.CSS_SELECTOR, f"svg.gaps g[data-key='gap:{gap['pillar']}|{gap['language']}'] text").text
            assert shown_count == "0", (gap, shown_count)
        communes = driver.find_elements(By.CSS_SELECTOR, "svg.map path")
        assert len(communes) == 92, len(communes)

    def english():
        driver.find_element(By.CSS_SELECTOR, "header a.switch").click()
        wait(lambda: driver.find_element(By.TAG_NAME, "h1").text.startswith("Dashboard"), "the page is in English")
        driver.get(base + "/")
        assert driver.find_element(By.CSS_SELECTOR, "form.filters button").text == "Filter", "the choice is kept"
        driver.find_element(By.CSS_SELECTOR, "header a.switch").click()
        wait(lambda: driver.find_element(By.CSS_SELECTOR, "form.filters button").text == "Lọc", "back in Vietnamese")

    def sign_out():
        driver.find_element(By.CSS_SELECTOR, "header form button").click()
        wait(lambda: driver.current_url.startswith(base + "/login"), "signed out")
        driver.get(base + "/")
        assert driver.current_url.startswith(base + "/login"), "signed out for good"

    def viewer_has_no_controls_and_a_forged_post_is_refused():
        sign_in("mai")
        assert driver.current_url == base + "/", driver.current_url
        forms = driver.find_elements(By.CSS_SELECTOR, "form[method=post]")
        assert [f.get_attribute("action") for f in forms] == [base + "/logout"], "sign-out is the only change"
        assert not driver.find_elements(By.CSS_SELECTOR, "ul.grid input[type=checkbox]")
        driver.find_element(By.CSS_SELECTOR, "ul.grid li a").click()
        wait(lambda: driver.find_element(By.LINK_TEXT, "Tải bản gốc"), "an asset's page opens")
        assert not driver.find_elements(By.CSS_SELECTOR, "section.edit, form.review"), "no edit controls"
        status = driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            const token = document.querySelector("input[name=_token]").value;
            fetch(location.pathname + '/edit', {method: 'POST',
              body: new URLSearchParams({_token: token, lang: 'vi', title: 'forged'})}).then(r => done(r.status));
        """)
        assert status == 403, status

    def viewer_signs_out():
        sign_out()

    for name, body in [("signed-out", signed_out_sees_sign_in), ("wrong-password", wrong_password_is_refused),
                       ("library", library_shows_every_preview), ("upload", upload_three_files),
                       ("search", search_without_diacritics), ("facet", filter_by_pillar_facet),
                       ("edit-title", edit_the_vietnamese_title), ("suggestion", accept_a_suggestion),
                       ("bulk-tag", select_two_and_tag_them), ("dashboard", dashboard), ("english", english),
                       ("sign-out", sign_out), ("viewer", viewer_has_no_controls_and_a_forged_post_is_refused),
                       ("viewer-sign-out", viewer_signs_out)]:
        step(name, body)
    driver.quit()
    passed = results.count(True)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
