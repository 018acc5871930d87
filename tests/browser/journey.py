"""What every journey step does: run axe-core on the page, fail on any WCAG 2.2 A/AA
violation, keep a screenshot. And the sign-in that every journey starts with.

A journey is a list of steps a person takes; each helper here finds things the way that
person does (by label, by role and name), so a page reworked later (the meeting register,
minutes publishing) needs its journey changed only where the person's steps change.
"""

import base64
import hashlib
import hmac
import re
import struct
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE_PATH = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "journeys"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DEMO_PASSWORD = "panelhub-demo"  # noqa: S105 - panels.demo.DEMO_PASSWORD, the printed demo sign-in


def totp_now(secret_base32: str, *, at: float | None = None, digits: int = 6) -> str:
    """The current RFC 6238 code for a base32 secret (30-second steps, SHA-1), as an
    authenticator app shows it."""
    key = base64.b32decode(secret_base32.upper() + "=" * (-len(secret_base32) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(code % 10**digits).zfill(digits)


@dataclass
class Journey:
    page: object
    name: str
    width: int
    steps: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def console_message(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(f"{self.page.url}: {message.text}")

    # --- what every step does ---------------------------------------------------------------

    def check(self, step: str) -> None:
        """axe-core on the page as it is now (WCAG 2.0/2.1/2.2 A and AA rules), then a
        screenshot var/journeys/<journey>/<nn>-<step>.png."""
        page = self.page
        page.wait_for_load_state("load")
        number = len(self.steps) + 1
        self.steps.append(step)
        folder = SCREENSHOTS / self.name
        folder.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        page.screenshot(path=str(folder / f"{number:02d}-{slug}.png"), full_page=True)
        assert not self.csp_violations, "the page broke its Content Security Policy: " + (
            "; ".join(self.csp_violations)
        )
        result = page.evaluate(
            "async (tags) => { const r = await axe.run(document, "
            "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']}); "
            "return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, "
            "nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + "
            "(n.failureSummary || '').replace(/\\s+/g, ' '))})); }",
            WCAG_TAGS,
        )
        assert not result, (
            f"{self.name} step {number} ({step}) at {page.url}: axe found "
            + "; ".join(f"{v['id']} ({v['impact']}): {v['help']} -> {v['nodes']}" for v in result)
        )

    def goto(self, path: str, step: str) -> None:
        response = self.page.goto(path)
        assert response is not None and response.status < 400, f"{path} -> {response.status}"
        self.check(step)

    # --- people's actions -------------------------------------------------------------------

    def sign_in(self, email: str, *, password: str = DEMO_PASSWORD, totp_secret=None) -> None:
        """Sign in through the real sign-in page. Where the account asks for a second factor
        (staff with MFA), ``totp_secret`` (a base32 secret, or a callable returning one) gives
        the authenticator code; without it the journey fails and says so."""
        page = self.page
        self.goto("/accounts/login/", "sign-in page")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password", exact=True).fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("load")
        code_box = page.locator("input[name='code']")
        if code_box.count():
            assert totp_secret is not None, f"{email} is asked for an authenticator code"
            secret = totp_secret() if callable(totp_secret) else totp_secret
            self.check("authenticator code")
            for _attempt in range(2):
                page.locator("input[name='code']").fill(totp_now(secret))
                form = page.locator("form").filter(has=page.locator("input[name='code']"))
                form.locator("button[type=submit]").first.click()
                page.wait_for_load_state("load")
                if not page.locator("input[name='code']").count():
                    break
                # A code is accepted once: another journey may just have used this one.
                time.sleep(31 - time.time() % 30)
            assert not page.locator("input[name='code']").count(), f"{email}: code refused"
        assert "/accounts/login/" not in page.url, f"{email} could not sign in ({page.url})"

    def fetch(self, link):
        """What following a link gives (a PDF or a paper the browser would show in its own
        viewer), fetched with the person's session."""
        response = self.page.request.get(link.get_attribute("href"))
        assert response.ok, f"{link.get_attribute('href')} -> {response.status}"
        return response

    def open_menu(self) -> None:
        """On a phone the navigation sits behind "Menu"; open it if it is shown."""
        toggle = self.page.locator("summary.ph-nav-toggle")
        if toggle.is_visible() and not toggle.evaluate("s => s.parentElement.open"):
            toggle.click()

    def follow_nav(self, name: str, step: str) -> None:
        self.open_menu()
        self.page.get_by_role("navigation", name="Main").get_by_role(
            "link", name=name, exact=True
        ).filter(visible=True).first.click()
        self.check(step)
