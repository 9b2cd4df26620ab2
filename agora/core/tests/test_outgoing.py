"""The one outgoing-request guard (finding 7): private, loopback, link-local ...
addresses refused after DNS resolution, at the socket, on every redirect hop, with the
checked address pinned for the connection; timeouts and a size limit."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from agora.core import outgoing
from agora.core.outgoing import OutgoingRequestError, OutgoingRequestRefused, check_url, safe_get

REAL_GETADDRINFO = socket.getaddrinfo


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.paths.append(self.path)
        if self.path.startswith("/redirect-to-loopback"):
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{self.server.server_port}/secret")
            self.end_headers()
        elif self.path.startswith("/huge"):
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"x" * (outgoing.MAX_BYTES + 10))
        else:
            body = json.dumps({"host": self.headers["Host"], "path": self.path}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.paths = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


class Answers(dict):
    pass


@pytest.fixture
def fake_dns(monkeypatch):
    answers = Answers()
    answers.asked = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            answers.asked.append(host)
            ips = answers[host]
            if ips and isinstance(ips[0], list):
                ips = ips.pop(0) if len(ips) > 1 else ips[0]
            return [
                (
                    socket.AF_INET6 if ":" in ip else socket.AF_INET,
                    socket.SOCK_STREAM,
                    6,
                    "",
                    (ip, port, 0, 0) if ":" in ip else (ip, port),
                )
                for ip in ips
            ]
        return REAL_GETADDRINFO(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


@pytest.mark.parametrize(
    "address",
    [
        "http://127.0.0.1:{port}/",
        "http://localhost:{port}/",
        "http://10.0.0.5/",
        "http://172.16.3.4/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/",
        "http://[::ffff:127.0.0.1]:{port}/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://0.0.0.0:{port}/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://[2002:7f00:1::]/",
    ],
)
def test_private_and_local_addresses_are_refused_before_any_connection(server, address):
    url = address.format(port=server.server_port)
    with pytest.raises(OutgoingRequestRefused):
        safe_get(url)
    with pytest.raises(OutgoingRequestRefused):
        check_url(url)
    assert server.paths == []


@pytest.mark.parametrize(
    "address",
    ["ftp://example.org/x", "file:///etc/passwd", "gopher://example.org/", "javascript:alert(1)", "//example.org/"],
)
def test_other_schemes_are_refused(address):
    with pytest.raises(OutgoingRequestError):
        safe_get(address)
    with pytest.raises(OutgoingRequestRefused):
        check_url(address)


def test_a_name_that_resolves_to_loopback_is_refused(server, fake_dns):
    fake_dns["idp.example"] = ["93.184.216.34", "127.0.0.1"]  # one bad answer is enough
    with pytest.raises(OutgoingRequestRefused, match="127.0.0.1"):
        safe_get(f"http://idp.example:{server.server_port}/")
    fake_dns["loop.example"] = ["127.0.0.1"]
    with pytest.raises(OutgoingRequestRefused):
        check_url("https://loop.example/.well-known/openid-configuration")
    assert server.paths == []


def test_the_checked_address_is_the_one_connected_to(monkeypatch, fake_dns):
    """DNS rebinding: a first answer public, the next one loopback. The socket opens to the
    address that was checked, without asking DNS again."""
    fake_dns["rebind.example"] = [["93.184.216.34"], ["127.0.0.1"]]
    connected = []

    def create_connection(address, *args, **kwargs):
        connected.append(address[0])
        raise OSError("no network in tests")

    monkeypatch.setattr(outgoing.urllib3_connection, "create_connection", create_connection)
    with pytest.raises(OutgoingRequestError):
        safe_get("http://rebind.example/")
    assert connected == ["93.184.216.34"]
    assert fake_dns.asked == ["rebind.example"]


def test_an_allowed_host_is_reached_with_its_name(server, fake_dns, settings):
    settings.AGORA_OUTGOING_ALLOWED_HOSTS = ["idp.intranet.test"]
    fake_dns["idp.intranet.test"] = ["127.0.0.1"]
    response = safe_get(f"http://idp.intranet.test:{server.server_port}/.well-known/openid-configuration")
    assert response.json() == {
        "host": f"idp.intranet.test:{server.server_port}",
        "path": "/.well-known/openid-configuration",
    }
    check_url("https://idp.intranet.test/")


def test_an_allowed_network(server, settings):
    settings.AGORA_OUTGOING_ALLOWED_HOSTS = ["127.0.0.0/8"]
    assert safe_get(f"http://127.0.0.1:{server.server_port}/ok").status_code == 200


def test_a_redirect_to_loopback_is_refused(server, fake_dns, settings):
    settings.AGORA_OUTGOING_ALLOWED_HOSTS = ["idp.intranet.test"]
    fake_dns["idp.intranet.test"] = ["127.0.0.1"]
    with pytest.raises(OutgoingRequestRefused):
        safe_get(f"http://idp.intranet.test:{server.server_port}/redirect-to-loopback")
    assert server.paths == ["/redirect-to-loopback"]  # the hop to /secret never left


def test_a_large_answer_is_refused(server, settings):
    settings.AGORA_OUTGOING_ALLOWED_HOSTS = ["127.0.0.1/32"]
    with pytest.raises(OutgoingRequestRefused, match="too large"):
        safe_get(f"http://127.0.0.1:{server.server_port}/huge")


def test_a_server_that_never_answers_times_out(monkeypatch, settings):
    settings.AGORA_OUTGOING_ALLOWED_HOSTS = ["127.0.0.1/32"]
    monkeypatch.setattr(outgoing, "READ_TIMEOUT", 0.5)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    try:
        with pytest.raises(OutgoingRequestError, match="in time"):
            safe_get(f"http://127.0.0.1:{silent.getsockname()[1]}/")
    finally:
        silent.close()


def test_allauth_calls_go_through_the_guard():
    from allauth.socialaccount.adapter import get_adapter

    assert isinstance(get_adapter().get_requests_session(), outgoing.SafeSession)


def test_no_request_bypasses_the_guard():
    """Every module of Agora that makes HTTP requests does it through agora.core.outgoing."""
    import re
    from pathlib import Path

    root = Path(outgoing.__file__).resolve().parents[1]
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or path.name == "outgoing.py" or "e2e" in path.parts:
            continue
        text = path.read_text()
        if re.search(
            r"\b(requests|httpx|urllib3)\.(get|post|put|patch|delete|head|request|Session|Client|"
            r"AsyncClient|PoolManager)\(|\burlopen\(|\bHTTPS?Connection\(",
            text,
        ):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
