/* The bot challenge of forms sent without an account (agora.moderation.challenges):
   ALTCHA's proof of work (version 2, PBKDF2/SHA-256), solved with WebCrypto, no library.
   Each [data-altcha] block carries the signed challenge; the counter is searched from 0
   until the derived key starts with the prefix, then the payload goes in the hidden
   input. A form sent before the search ends waits for it, then is sent as it was. */
(function () {
  "use strict";

  function fromHex(text) {
    var bytes = new Uint8Array(text.length / 2);
    for (var i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.substr(i * 2, 2), 16);
    return bytes;
  }

  function toHex(buffer) {
    return Array.from(new Uint8Array(buffer), function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  async function derive(parameters, nonce, salt, counter) {
    var password = new Uint8Array(nonce.length + 4);
    password.set(nonce, 0);
    new DataView(password.buffer).setUint32(nonce.length, counter); // big-endian, as the server
    var key = await crypto.subtle.importKey("raw", password, "PBKDF2", false, ["deriveBits"]);
    var bits = await crypto.subtle.deriveBits(
      { name: "PBKDF2", hash: "SHA-256", salt: salt, iterations: parameters.cost },
      key,
      (parameters.keyLength || 32) * 8
    );
    return toHex(bits);
  }

  async function solve(challenge) {
    var parameters = challenge.parameters;
    var nonce = fromHex(parameters.nonce), salt = fromHex(parameters.salt);
    var prefix = (parameters.keyPrefix || "").toLowerCase();
    var started = performance.now();
    for (var counter = 0; counter <= 0xffffffff; counter++) {
      var key = await derive(parameters, nonce, salt, counter);
      if (key.startsWith(prefix)) {
        return { counter: counter, derivedKey: key, time: Math.round(performance.now() - started) };
      }
    }
    throw new Error("no solution");
  }

  function start(block) {
    var input = block.querySelector("input[type=hidden]");
    var status = block.querySelector("[data-altcha-status]");
    var form = block.closest("form");
    var challenge = JSON.parse(block.getAttribute("data-altcha"));
    status.hidden = false;
    var done = solve(challenge).then(
      function (solution) {
        input.value = btoa(JSON.stringify({ challenge: challenge, solution: solution }));
        status.textContent = block.getAttribute("data-altcha-done");
      },
      function () {
        status.textContent = block.getAttribute("data-altcha-failed");
      }
    );
    if (form) {
      var waiting = false, sent = false;
      form.addEventListener("submit", function (event) {
        if (sent) { event.preventDefault(); return; } // a second click: the proof is good once
        if (input.value) { sent = true; return; }
        event.preventDefault();
        if (waiting) return; // clicked again while the proof is computed: one sending only
        waiting = true;
        var submitter = event.submitter;
        done.then(function () {
          if (input.value) form.requestSubmit(submitter || undefined);
        });
      });
      // Back in the browser's history the page may come back as it was: a new proof is needed.
      window.addEventListener("pageshow", function (event) { if (event.persisted) location.reload(); });
    }
  }

  function init() {
    if (!window.crypto || !crypto.subtle) return; // the <noscript>-like notice stays
    document.querySelectorAll("[data-altcha]").forEach(start);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
