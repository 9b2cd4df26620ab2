"""A tiny OpenID Connect provider served by a thread on 127.0.0.1, for tests
(no internet): discovery, authorize, token, userinfo and JWKS, with an RSA
key generated at start. One user, whose claims the test chooses."""

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


class LocalOidcProvider:
    client_id = "agora-test-client"
    client_secret = "agora-test-secret"

    def __init__(self, claims: dict):
        self.claims = claims
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = uuid.uuid4().hex
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.requests: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def discovery(self):
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
        }

    def jwks(self):
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def id_token(self, nonce=None):
        now = int(time.time())
        payload = {"iss": self.url, "aud": self.client_id, "sub": self.claims["sub"], "iat": now, "exp": now + 300}
        if nonce:
            payload["nonce"] = nonce
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": self.kid})

    def _handler(provider):
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, data, status=200):
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                url = urlparse(self.path)
                provider.requests.append(f"GET {url.path}")
                if url.path == "/.well-known/openid-configuration":
                    return self._json(provider.discovery())
                if url.path == "/jwks":
                    return self._json(provider.jwks())
                if url.path == "/authorize":
                    query = {key: values[0] for key, values in parse_qs(url.query).items()}
                    if query.get("client_id") != provider.client_id:
                        return self._json({"error": "unauthorized_client"}, 400)
                    code = uuid.uuid4().hex
                    provider.codes[code] = {"nonce": query.get("nonce"), "redirect_uri": query["redirect_uri"]}
                    self.send_response(302)
                    self.send_header(
                        "Location",
                        f"{query['redirect_uri']}?" + urlencode({"code": code, "state": query.get("state", "")}),
                    )
                    self.end_headers()
                    return None
                if url.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    if token not in provider.tokens:
                        return self._json({"error": "invalid_token"}, 401)
                    return self._json(provider.claims)
                return self._json({"error": "not_found"}, 404)

            def do_POST(self):
                url = urlparse(self.path)
                provider.requests.append(f"POST {url.path}")
                length = int(self.headers.get("Content-Length") or 0)
                form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
                if url.path != "/token":
                    return self._json({"error": "not_found"}, 404)
                grant = provider.codes.pop(form.get("code", ""), None)
                if (
                    grant is None
                    or form.get("client_secret") != provider.client_secret
                    or form.get("client_id") != provider.client_id
                ):
                    return self._json({"error": "invalid_grant"}, 400)
                access_token = uuid.uuid4().hex
                provider.tokens[access_token] = grant
                return self._json(
                    {
                        "access_token": access_token,
                        "token_type": "Bearer",
                        "expires_in": 300,
                        "id_token": provider.id_token(grant.get("nonce")),
                    }
                )

        return Handler
