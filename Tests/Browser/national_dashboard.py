#!/usr/bin/env python3
"""The national bank's dashboard as a person at the ministry meets it, in a real headless
Chromium (Debian's chromium and chromium-driver, driven by Selenium).

    python3 Tests/Browser/national_dashboard.py BASE_URL NAME PASSWORD SCREENSHOT

BASE_URL is a running `mediabank serve` over a national bank that received bundles from Thái
Nguyên (19) and Đà Nẵng (48) (Tests/EndToEndTests/ReportTests.swift); NAME and PASSWORD are a
viewer's. Checks what is drawn (the 34 provinces on the map, the two that sent shaded, the rows
of the provinces that sent nothing highlighted, the heat maps and the trend), then clicks Thái
Nguyên on the map and checks that its view opens. Saves a screenshot of the dashboard in
SCREENSHOT. Prints one line per check and exits 1 at the first that fails.
"""
import sys
import time

from selenium.webdriver.common.by import By

from web_flow import browser


def main():
    base, name, password, screenshot = sys.argv[1:5]
    driver = browser()
    driver.set_window_size(1400, 1000)

    def check(condition, what):
        if not condition:
            print(f"FAIL {what} (at {driver.current_url})")
            driver.quit()
            sys.exit(1)
        print(f"ok   {what}")

    driver.get(base + "/dashboard")
    driver.find_element(By.NAME, "name").send_keys(name)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form.signin button").click()
    for _ in range(100):
        if driver.current_url.startswith(base + "/dashboard"):
            break
        time.sleep(0.1)
    check(driver.find_element(By.TAG_NAME, "h1").text.startswith("Tổng quan quốc gia"), "the national dashboard opens")

    # Each province a shape of its own size on the map, in the page's own fills.
    boxes = driver.execute_script("""
        return Array.from(document.querySelectorAll('svg.map path')).map(p => {
          const b = p.getBBox(); return [p.dataset.key, b.width * b.height, getComputedStyle(p).fill]; });""")
    check(len(boxes) == 34, f"34 provinces on the map ({len(boxes)})")
    check(all(area > 0 for _, area, _ in boxes), "every province is drawn")
    fills = {key: fill for key, _, fill in boxes}
    check(fills["province:19"] != fills["province:01"] and fills["province:01"] == "rgb(244, 241, 234)",
          f"Thái Nguyên shaded, Hà Nội blank ({fills['province:19']}, {fills['province:01']})")
    quiet = driver.find_element(By.CSS_SELECTOR, "tr[data-province='01']")
    check(driver.execute_script("return getComputedStyle(arguments[0]).backgroundColor", quiet) == "rgb(251, 224, 224)",
          "a province that sent nothing for 90 days is highlighted in red")
    active = driver.find_element(By.CSS_SELECTOR, "tr[data-province='19']")
    check(driver.execute_script("return getComputedStyle(arguments[0]).backgroundColor", active) == "rgba(0, 0, 0, 0)",
          "a province that sent today is not")
    grids = driver.find_elements(By.CSS_SELECTOR, "svg.gaps")
    check(len(grids) == 2 and all(g.size["width"] > 300 for g in grids), "two heat maps drawn")
    cell = driver.find_element(By.CSS_SELECTOR, "svg.gaps g[data-key='pillar-province:culture-heritage|01'] rect")
    check(driver.execute_script("return getComputedStyle(arguments[0]).fill", cell) == "rgb(229, 115, 115)",
          "an empty cell is red")
    bars = driver.find_elements(By.CSS_SELECTOR, "svg.trend g")
    check(len(bars) >= 1 and bars[-1].find_element(By.TAG_NAME, "rect").size["height"] > 50,
          "the trend's bar of this month is drawn")
    driver.save_screenshot(screenshot)

    # Thái Nguyên on the map opens its view.
    driver.execute_script("arguments[0].scrollIntoView()", driver.find_element(By.CSS_SELECTOR, "svg.map"))
    driver.find_element(By.CSS_SELECTOR, "svg.map a[href*='source=19'] path").click()
    for _ in range(100):
        if "source=19" in driver.current_url:
            break
        time.sleep(0.1)
    check("19 Tỉnh Thái Nguyên" in driver.find_element(By.TAG_NAME, "h1").text, "clicking Thái Nguyên opens its view")
    communes = driver.find_elements(By.CSS_SELECTOR, "svg.map path")
    check(len(communes) > 50, f"its communes are drawn ({len(communes)})")
    driver.quit()
    print("all passed")


if __name__ == "__main__":
    main()
