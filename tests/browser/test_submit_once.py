"""A double-click sends a form once (static/js/submit-once.js).

Only a convenience: the server refuses a second money record by the form's
one-time token. This checks that the script is on every page, runs under the
Content-Security-Policy, and lets exactly one submission through.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Counts the submissions that would leave the page, then keeps the page here,
# as a slow server would, so that the second click lands on the same form.
COUNT_SUBMISSIONS = """
window.sent = 0;
document.addEventListener("submit", function (event) {
  if (!event.defaultPrevented) { window.sent += 1; }
  event.preventDefault();
});
"""


def test_a_double_click_lets_one_submission_through(page, staff):
    page.goto(page.base_url + "/")
    page.evaluate(COUNT_SUBMISSIONS)
    page.fill("#id_username", "staff")
    page.fill("#id_password", "pw-staff")
    button = page.get_by_role("button", name="Đăng nhập")
    button.dblclick()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('form button').disabled")
    assert page.evaluate("window.sent") == 1
