"""bench/load.py's guards and arithmetic (the load run itself is a benchmark, not a test):
it refuses any host off this machine's loopback before sending anything, computes the
TOTP codes staff sign-ins may be asked for, and reports each page against the trivial
view."""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
load = importlib.util.module_from_spec(spec)
sys.modules["bench_load"] = load  # dataclasses look their module up
spec.loader.exec_module(load)


@pytest.mark.parametrize(
    "host", ["http://127.0.0.1:8100", "http://127.0.0.2:8100/", "http://[::1]:8100"]
)
def test_loopback_hosts_are_accepted(host):
    assert load.loopback_only(host) == host.rstrip("/")


@pytest.mark.parametrize(
    "host",
    ["http://10.0.0.5:8100", "http://192.168.1.20", "https://203.0.113.7", "http://[2001:db8::1]"],
)
def test_other_hosts_are_refused_naming_the_address(host):
    with pytest.raises(load.Refused, match="not loopback"):
        load.loopback_only(host)


def test_a_non_http_address_is_refused():
    with pytest.raises(load.Refused, match="not an http"):
        load.loopback_only("ftp://127.0.0.1/")


def test_a_run_at_another_host_stops_before_reading_or_sending_anything(monkeypatch):
    def no_plan(*args, **kwargs):
        raise AssertionError("planned a run against a refused host")

    monkeypatch.setattr(load, "plan_people", no_plan)
    with pytest.raises(load.Refused, match="10.9.8.7"):
        load.main(["--host", "http://10.9.8.7:8100", "--duration", "1"])


def test_totp_matches_rfc_6238():
    # RFC 6238 appendix B, SHA-1 secret "12345678901234567890", T=59 s: 94287082 (8 digits).
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert load.totp(secret, at=59, digits=8) == "94287082"
    assert load.totp(secret, at=1111111109, digits=8) == "07081804"


def test_the_report_gives_each_page_against_both_trivial_views(capsys):
    results = load.Results()
    for ms in (1.0, 1.0, 2.0):
        results.add(load.TRIVIAL, load.Sample(200, ms + 1, ms), True)
        results.add(load.TRIVIAL_FORM, load.Sample(200, ms + 5, ms * 4), True)
    for ms in (10.0, 20.0, 30.0):
        results.add("member: inbox", load.Sample(200, ms + 5, ms), True)
    results.add("member: inbox", load.Sample(500, 40.0, 35.0), False)

    class Args:
        duration, users, think = 10, 2, (1.0, 5.0)

    figures = load.report(results, Args)
    inbox = next(r for r in figures["rows"] if r["page"] == "member: inbox")
    assert inbox["requests"] == 4 and inbox["errors"] == 1
    assert inbox["ratio"] == pytest.approx(inbox["server_ms"][1] / 1.9, rel=0.05)
    # Against the sign-in form as well (issue 20's own baseline yardstick): 4x the ping.
    assert inbox["ratio_form"] == pytest.approx(inbox["server_ms"][1] / 7.6, rel=0.05)
    out = capsys.readouterr().out
    assert "errors on member: inbox: {'500': 1}" in out
    assert "ABOVE GOALS" in out


def test_the_scale_totp_secret_is_valid_base32():
    from panels.scale import SCALE_TOTP_SECRET

    assert len(load.totp(SCALE_TOTP_SECRET)) == 6
