"""Reflow with text spacing (WCAG 1.4.10 and 1.4.12) in Chromium: at 320 CSS pixels wide,
with the text-spacing overrides of 1.4.12 applied (line height 1.5, paragraph spacing 2em,
letter spacing 0.12em, word spacing 0.16em), no main page scrolls sideways, neither the page
itself nor a box inside it (a table in a scrolling wrapper counts: Status and Download were
hidden off to the right of Board Reports at 360 px).

Walked as a member whose email address is unusually long, an officer, a Board member and a
member of the public: every page of the main navigation (including "More"), and the pages
that navigation leads to first (a roster, a meeting, a review...), and the meeting console
(its register form, with its rarely used forms opened one at a time), where no select may be
narrower than its longest choice ("Apologie..." was cut). A screenshot of each page is kept
under var/journeys/reflow-<who>/.
"""

import re

import pytest

from panels.demo import DEMO_TOTP_SECRET
from tests.browser.journey import AXE_PATH, SCREENSHOTS, Journey

pytestmark = pytest.mark.browser

WIDTH = 320
# The text-spacing overrides of WCAG 1.4.12 (as the W3C's text spacing bookmarklet applies
# them): the page must lose no content and not scroll sideways with them.
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""
LONG_EMAIL = "margaretta.featherstonehaugh-cholmondeley.tenantrep@residents-association.example.org"

# What scrolls sideways: the page, and any visible box whose content is wider than it and
# that scrolls (overflow-x auto or scroll), such as Bootstrap's .table-responsive.
OVERFLOW = """() => {
  const viewport = document.documentElement.clientWidth;
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string'
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const boxes = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') continue;
    const style = getComputedStyle(el);
    if (!['auto', 'scroll'].includes(style.overflowX)) continue;
    if (!el.getClientRects().length) continue;
    const extra = el.scrollWidth - el.clientWidth;
    if (extra > 1) boxes.push(describe(el) + ' scrolls ' + extra + ' px');
  }
  return {viewport, page: document.documentElement.scrollWidth, boxes};
}"""
SKIP = re.compile(r"\.(pdf|csv|ics)$|/download/|/file/|/export|/accounts/|/logout")
# Register selects whose box is narrower than their longest choice (the status would be cut,
# "Apologie..."). Selects of free text (item titles, names) may be longer than a phone.
CUT_SELECTS = """() => {
  const canvas = document.createElement('canvas').getContext('2d');
  const cut = [];
  for (const el of document.querySelectorAll('form.ph-register select')) {
    if (!el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    canvas.font = style.font;
    const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    const inner = el.clientWidth - padding;
    for (const option of el.options) {
      const need = canvas.measureText(option.text).width;
      if (need > inner + 1) { cut.push((el.id || el.name) + ': ' + option.text); break; }
    }
  }
  return cut;
}"""
FOLLOW_PER_PAGE = 3  # pages one step from each navigation page, in page order


class ReflowWalk:
    def __init__(self, journey: Journey, org: str):
        self.journey = journey
        self.page = journey.page
        self.org = org
        self.seen: set[str] = set()
        self.problems: list[str] = []

    def visit(self, path: str) -> None:
        if path in self.seen:
            return
        self.seen.add(path)
        response = self.page.goto(path)
        assert response is not None and response.status < 400, f"{path} -> {response.status}"
        self.page.add_style_tag(content=TEXT_SPACING)
        self.page.wait_for_timeout(50)
        found = self.page.evaluate(OVERFLOW)
        folder = SCREENSHOTS / self.journey.name
        folder.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "root"
        self.page.screenshot(path=str(folder / f"{slug}.png"), full_page=True)
        if found["page"] > found["viewport"]:
            self.problems.append(
                f"{path}: the page is {found['page']} px wide at {found['viewport']} px"
            )
        self.problems.extend(f"{path}: {box}" for box in found["boxes"])
        self.problems.extend(f"{path}: select cut: {s}" for s in self.page.evaluate(CUT_SELECTS))

    def links(self, scope: str) -> list[str]:
        hrefs = self.page.eval_on_selector_all(scope, "els => els.map(a => a.getAttribute('href'))")
        own = f"/{self.org}/"
        out = []
        for href in hrefs:
            if not href or not href.startswith(own) or SKIP.search(href.split("?")[0]):
                continue
            if href not in out:
                out.append(href.split("#")[0])
        return out

    def walk(self, extra: tuple[str, ...] = ()) -> None:
        self.visit(f"/{self.org}/")
        navigation = self.links("nav.ph-nav-phone a")
        for path in [*navigation, *extra]:
            self.visit(path)
            followed = 0
            for link in self.links("main a"):
                if followed >= FOLLOW_PER_PAGE:
                    break
                if link not in self.seen and link not in navigation:
                    self.visit(link)
                    followed += 1


@pytest.fixture
def narrow(journey_server, chromium_browser, request):
    """A browser at 320 px. The text-spacing style is added to each page as a user
    stylesheet would be, so the page's Content Security Policy is bypassed for it alone."""
    context = chromium_browser.new_context(
        viewport={"width": WIDTH, "height": 800},
        base_url=journey_server,
        locale="en-GB",
        bypass_csp=True,
    )
    context.set_default_timeout(15_000)
    context.add_init_script(path=str(AXE_PATH))  # sign_in checks the sign-in page with axe
    page = context.new_page()
    yield lambda who: Journey(page=page, name=f"reflow-{who}", width=WIDTH)
    context.close()


def _assert_no_sideways_scroll(walk: ReflowWalk) -> None:
    assert len(walk.seen) >= 5, f"the walk visited too little: {sorted(walk.seen)}"
    assert not walk.problems, "sideways scrolling at 320 px with text spacing:\n" + "\n".join(
        walk.problems
    )


def test_member_with_a_long_email_address_never_scrolls_sideways(narrow, journey_manage):
    journey_manage(
        "from allauth.account.models import EmailAddress\n"
        "from panels.models import User\n"
        "user = User.objects.get(email='member@hfh.panelhub.demo')\n"
        f"user.email = {LONG_EMAIL!r}\n"
        "user.save(update_fields=['email'])\n"
        "EmailAddress.objects.filter(user=user).update(email=user.email)\n"
    )
    journey = narrow("member")
    journey.sign_in(LONG_EMAIL)
    journey.page.goto("/hfh/")
    assert LONG_EMAIL in journey.page.content(), "the member home shows the address"
    walk = ReflowWalk(journey, "hfh")
    walk.walk()
    _assert_no_sideways_scroll(walk)


@pytest.mark.parametrize("role", ["officer", "board"])
def test_staff_and_board_pages_never_scroll_sideways(narrow, role):
    journey = narrow(role)
    journey.sign_in(f"{role}@helena.panelhub.demo", totp_secret=DEMO_TOTP_SECRET)
    walk = ReflowWalk(journey, "helena")
    walk.walk()
    _assert_no_sideways_scroll(walk)


def test_public_pages_never_scroll_sideways(narrow):
    journey = narrow("public")
    walk = ReflowWalk(journey, "helena")
    walk.walk(extra=("/helena/help/",))
    _assert_no_sideways_scroll(walk)


CONSOLE_FORMS = ("presiding", "add_item", "declaration", "motion", "reschedule", "cancel")


def test_the_meeting_console_never_scrolls_sideways(narrow):
    """The console of a held meeting and of one to come, at 320 px with text spacing: the
    register form for the whole meeting (checked with axe-core too), and each rarely used
    form opened (?open=)."""
    journey = narrow("officer-console")
    journey.sign_in("officer@helena.panelhub.demo", totp_secret=DEMO_TOTP_SECRET)
    walk = ReflowWalk(journey, "helena")
    walk.visit("/helena/meetings/")
    consoles = []
    for href in journey.page.eval_on_selector_all(
        "main a", "els => els.map(a => a.getAttribute('href'))"
    ):
        if href and re.search(r"/meetings/\d+/console/$", href) and href not in consoles:
            consoles.append(href)
    assert consoles, "the programme links to no meeting console"
    for console in {consoles[0], consoles[-1]}:
        walk.visit(console)
        assert journey.page.locator("form.ph-register").count() == 1
        journey.check("console register")  # axe-core: no WCAG 2.2 AA violation
        for action in CONSOLE_FORMS:
            walk.visit(f"{console}?open={action}")
    _assert_no_sideways_scroll(walk)
