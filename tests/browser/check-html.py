#!/usr/bin/python3
"""check-html.py: open an HTML report of spnaudit in a real browser.

    check-html.py FILE [--count SELECTOR=N]... [--present SELECTOR]...
                  [--text STRING]... [--screenshot PNG]

Headless Chromium (Debian's chromium and chromium-driver, through Debian's
python3-selenium) loads FILE and the page must:
  - log no console error (the browser's log, level SEVERE);
  - make no network request but for FILE itself (the DevTools performance
    log's Network.requestWillBeSent events): the report is self-contained;
  - hold no script element and no inline event handler;
  - have exactly N elements matching each --count SELECTOR, at least one
    for each --present SELECTOR, and each --text STRING in its text (as
    text: a hostile value rendered, not interpreted).
With --screenshot, the whole page is saved as PNG.
Prints ok:/FAIL: lines and 'N passed, N failed'; exit 0 only when all pass.
"""
import argparse
import json
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

results = {"passed": 0, "failed": 0}


def expect(what, cond, detail=""):
    if cond:
        results["passed"] += 1
        print("ok: " + what)
    else:
        results["failed"] += 1
        print("FAIL: " + what + (": " + detail if detail else ""))


def browser():
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1024", "--no-first-run", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update",
                "--disable-default-apps", "--disable-sync"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


def requests_made(driver):
    urls = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    return urls


def full_page_screenshot(driver, path):
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, max(600, min(int(height) + 100, 8000)))
    driver.save_screenshot(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--count", action="append", default=[])
    ap.add_argument("--present", action="append", default=[])
    ap.add_argument("--text", action="append", default=[])
    ap.add_argument("--screenshot")
    a = ap.parse_args()

    url = "file://" + os.path.abspath(a.file)
    driver = browser()
    try:
        driver.get(url)
        expect("the page loads", driver.execute_script("return document.readyState") == "complete")
        errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        expect("no console error", not errors, "; ".join(errors))
        others = [u for u in requests_made(driver) if u != url]
        expect("no network request but the page itself", not others, ", ".join(others[:5]))
        expect("no script element", not driver.find_elements(By.TAG_NAME, "script"))
        handlers = driver.execute_script(
            "return Array.from(document.querySelectorAll('*')).flatMap(e => "
            "Array.from(e.attributes).filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))")
        expect("no inline event handler", not handlers, ", ".join(handlers[:5]))
        for spec in a.count:
            sel, _, n = spec.rpartition("=")
            found = len(driver.find_elements(By.CSS_SELECTOR, sel))
            expect("%s elements match %s" % (n, sel), found == int(n), "found %d" % found)
        for sel in a.present:
            expect("%s is present" % sel, bool(driver.find_elements(By.CSS_SELECTOR, sel)))
        body = driver.execute_script("return document.body.innerText")
        for text in a.text:
            expect("the page shows %r as text" % text, text in body)
        if a.screenshot:
            full_page_screenshot(driver, a.screenshot)
            expect("screenshot saved to " + a.screenshot, os.path.getsize(a.screenshot) > 1000)
    finally:
        driver.quit()
    print("%d passed, %d failed" % (results["passed"], results["failed"]))
    return 0 if results["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
