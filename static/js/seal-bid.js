/*
 * Sealing a bid in the bidder's browser (issue 13 item 3).
 *
 * The amount, the 入札内訳書 and the くじ番号 never leave this page in clear: their inputs carry no
 * name, so a browser never sends them. On submit this script checks them, builds the payload,
 * seals it to the case's price key and puts only the envelope and the payload's SHA-256 into the
 * form. The format is tender.sealing.envelope's (docs/sealing.md):
 *
 *   {"v":"tender-seal-1","epk":B64URL(P-256 point),"iv":B64URL(12),"ct":B64URL(AES-256-GCM)}
 *   key = HKDF-SHA256(ECDH x-coordinate, salt = epk, info = "tender-seal-1")
 *   associated data = "tender-bid|case=…|round=…|company=…|receipt=…"
 *
 * A copy of the payload (with its 照合用コード) is kept in this browser's localStorage and offered
 * for download on the receipt page, so the bidder keeps it even if the server's reply never comes.
 */
(function () {
  "use strict";

  var form = document.getElementById("bid-form");
  if (!form) { return; }
  var button = document.getElementById("bid-submit");
  var status = document.getElementById("seal-status");
  var errors = document.getElementById("seal-errors");
  var VERSION = "tender-seal-1";
  var enc = new TextEncoder();

  function say(text) { status.textContent = text; }

  function fail(messages) {
    errors.textContent = "";
    messages.forEach(function (m) {
      var p = document.createElement("p");
      p.textContent = m;
      errors.appendChild(p);
    });
    errors.hidden = false;
    errors.scrollIntoView({ block: "center" });
    button.disabled = false;
    say("");
  }

  if (!window.crypto || !window.crypto.subtle || !window.TextEncoder) {
    say("このブラウザ（またはこの接続）では暗号化の機能が使えないため、入札書を提出できません。HTTPS の接続で、新しいブラウザを使ってください。");
    return;
  }

  // --- numbers as a person types them: full-width digits, commas, ￥ and 円 -------------------
  function normalise(text) {
    return (text || "").normalize("NFKC").replace(/[,\s￥¥円]/g, "");
  }

  // The server's limits (tender/bidding/sealed.py), so that a bid the browser seals is one the
  // opening accepts: amounts to 10^13 yen, quantities to 10^7, at most 30 lines.
  var MAX_AMOUNT = 1e13, MAX_QUANTITY = 1e7, MAX_LINES = 30;

  function wholeYen(text, label, problems, allowZero, max) {
    var t = normalise(text);
    if (!/^[0-9]+$/.test(t)) { problems.push(label + "は整数で入力してください。"); return null; }
    var n = Number(t);
    if (!Number.isSafeInteger(n) || n > (max || MAX_AMOUNT)) { problems.push(label + "が大きすぎます。桁数を確認してください。"); return null; }
    if (n === 0 && !allowZero) { problems.push(label + "は1以上にしてください。"); return null; }
    return n;
  }

  function formatYen(n) { return n.toLocaleString("ja-JP") + "円"; }

  // --- bytes and base64url -------------------------------------------------------------------
  function b64u(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length; i++) { s += String.fromCharCode(bytes[i]); }
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function unb64u(text) {
    var s = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
    var out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) { out[i] = s.charCodeAt(i); }
    return out;
  }

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  // JSON with sorted keys and no spaces: the same bytes Python's
  // json.dumps(sort_keys=True, ensure_ascii=False, separators=(",", ":")) writes.
  function canonical(value) {
    if (Array.isArray(value)) { return "[" + value.map(canonical).join(",") + "]"; }
    if (value !== null && typeof value === "object") {
      return "{" + Object.keys(value).sort().map(function (k) {
        return JSON.stringify(k) + ":" + canonical(value[k]);
      }).join(",") + "}";
    }
    return JSON.stringify(value);
  }

  async function seal(publicKeyB64u, plaintext, aad) {
    var recipient = await crypto.subtle.importKey("raw", unb64u(publicKeyB64u), { name: "ECDH", namedCurve: "P-256" },
                                                  false, []);
    var ephemeral = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
    var epk = new Uint8Array(await crypto.subtle.exportKey("raw", ephemeral.publicKey));
    var shared = await crypto.subtle.deriveBits({ name: "ECDH", public: recipient }, ephemeral.privateKey, 256);
    var hkdf = await crypto.subtle.importKey("raw", shared, "HKDF", false, ["deriveKey"]);
    var key = await crypto.subtle.deriveKey({ name: "HKDF", hash: "SHA-256", salt: epk, info: enc.encode(VERSION) },
                                            hkdf, { name: "AES-GCM", length: 256 }, false, ["encrypt"]);
    var iv = crypto.getRandomValues(new Uint8Array(12));
    var ct = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv: iv, additionalData: aad }, key, plaintext));
    return JSON.stringify({ v: VERSION, epk: b64u(epk), iv: b64u(iv), ct: b64u(ct) });
  }

  // --- what the bidder typed -------------------------------------------------------------------
  function readBid(problems) {
    var amount = wholeYen(document.getElementById("bid-amount").value, "入札金額", problems, false);
    var lottery = normalise(document.getElementById("bid-lottery").value);
    if (!/^[0-9]{3}$/.test(lottery)) { problems.push("くじ番号は3桁の数字（000〜999）で入力してください。"); }
    var lines = [];
    document.querySelectorAll("#bid-lines tbody tr").forEach(function (row, i) {
      var get = function (name) { return row.querySelector('[data-line="' + name + '"]').value; };
      var item = get("item").normalize("NFC").trim();
      if (!item) { return; }
      var label = "内訳" + (i + 1) + "行目の";
      var unit = get("unit").trim() || "式";
      if (item.length > 200 || unit.length > 10) { problems.push(label + "項目名は200字、単位は10字までです。"); }
      var quantity = wholeYen(get("quantity") || "1", label + "数量", problems, false, MAX_QUANTITY);
      var price = wholeYen(get("unit_price"), label + "単価", problems, true);
      lines.push({ item: item, quantity: quantity, unit: unit, unit_price: price });
    });
    if (!lines.length) { problems.push("入札内訳書を1行以上入力してください。"); }
    if (lines.length > MAX_LINES) { problems.push("入札内訳書は" + MAX_LINES + "行までです。"); }
    if (amount !== null && problems.length === 0) {
      // BigInt: quantity × unit price can pass 2^53 before the totals are compared.
      var total = lines.reduce(function (sum, l) { return sum + BigInt(l.quantity) * BigInt(l.unit_price); }, 0n);
      if (total !== BigInt(amount)) {
        problems.push("入札内訳書の合計（" + total.toLocaleString("ja-JP") + "円）が入札金額（" + formatYen(amount) + "）と一致しません。");
      }
    }
    return { amount: amount, lottery: lottery, lines: lines };
  }

  function readSheet() {
    var marks = {}, pages = {}, any = false;
    // Trimmed and in NFC as the server keeps them (its form filters), so the sealed sheet and the kept one agree.
    var clean = function (v) { return (v || "").normalize("NFC").trim(); };
    form.querySelectorAll("[data-sheet-mark]").forEach(function (el) { marks[el.dataset.sheetMark] = clean(el.value); any = true; });
    form.querySelectorAll("[data-sheet-page]").forEach(function (el) { pages[el.dataset.sheetPage] = clean(el.value); any = true; });
    return any ? { marks: marks, pages: pages } : null;
  }

  async function fileHashes() {
    var out = {};
    var inputs = form.querySelectorAll('input[type="file"]');
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.files && input.files.length) {
        out[input.name] = hex(await crypto.subtle.digest("SHA-256", await input.files[0].arrayBuffer()));
      }
    }
    return out;
  }

  // --- the amount with tax, as the bidder types --------------------------------------------------
  var amountInput = document.getElementById("bid-amount");
  var taxNote = document.getElementById("bid-amount-tax");
  function showTax() {
    var t = normalise(amountInput.value);
    taxNote.textContent = /^[0-9]+$/.test(t) && Number(t) > 0 ? " 入力額の場合：" + formatYen(Math.floor(Number(t) * 110 / 100)) : "";
  }
  amountInput.addEventListener("input", showTax);
  // An amount already in the field when this script starts (typed while the page was still
  // loading, or restored by the browser on going back) gets its figure with tax too.
  showTax();

  // A draft kept for this tab only, so a refused submission (a missing file) need not be retyped.
  var draftKey = "tender-bid-draft-" + form.dataset.case + "-" + form.dataset.round;
  function saveDraft() {
    var values = Array.prototype.map.call(form.querySelectorAll("#bid-amount, #bid-lottery, [data-line]"),
                                          function (el) { return el.value; });
    sessionStorage.setItem(draftKey, JSON.stringify(values));
  }
  try {
    var draft = JSON.parse(sessionStorage.getItem(draftKey) || "null");
    if (draft) {
      form.querySelectorAll("#bid-amount, #bid-lottery, [data-line]").forEach(function (el, i) {
        if (typeof draft[i] === "string") { el.value = draft[i]; }
      });
      amountInput.dispatchEvent(new Event("input"));
    }
  } catch (e) { /* no draft */ }

  // --- confirm before sealing (issue 19): the bid restated, and that it cannot be taken back -------
  var confirmPanel = document.getElementById("bid-confirm");
  var askLabel = button.textContent;
  var SEND_LABEL = "この内容で入札書を封印して提出する";
  var confirmed = false;

  function unconfirm() {
    if (!confirmed) { return; }
    confirmed = false;
    confirmPanel.hidden = true;
    button.textContent = askLabel;
  }
  form.addEventListener("input", unconfirm);
  form.addEventListener("change", unconfirm);

  function showConfirmation(bid) {
    document.getElementById("confirm-amount").textContent = formatYen(bid.amount);
    document.getElementById("confirm-total").textContent = formatYen(Math.floor(bid.amount * 110 / 100));
    document.getElementById("confirm-lottery").textContent = bid.lottery;
    document.getElementById("confirm-lines").textContent = bid.lines.map(function (l) {
      return l.item + "　" + l.quantity + l.unit + " × " + formatYen(l.unit_price);
    }).join("／");
    var names = [];
    form.querySelectorAll('input[type="file"]').forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (f) { names.push(f.name); });
    });
    document.getElementById("confirm-files").textContent = names.join("、") || "なし";
    confirmPanel.hidden = false;
    button.textContent = SEND_LABEL;
    button.disabled = false;
    confirmed = true;
    confirmPanel.focus();
    confirmPanel.scrollIntoView({ block: "start" });
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    errors.hidden = true;
    button.disabled = true;
    var problems = [];
    var bid = readBid(problems);
    if (problems.length) { unconfirm(); fail(problems); return; }
    if (!confirmed) { say(""); showConfirmation(bid); return; }
    try {
      say("添付書類の指紋（SHA-256）を計算しています…");
      var files = await fileHashes();
      var nonceBytes = crypto.getRandomValues(new Uint8Array(16));
      var payload = {
        amount: bid.amount, breakdown: bid.lines, "case": form.dataset.case, company_id: Number(form.dataset.company),
        files: files, lottery_number: bid.lottery, nonce: hex(nonceBytes), receipt_number: form.dataset.receipt,
        round: Number(form.dataset.round)
      };
      var sheet = readSheet();
      if (sheet) { payload.sheet = sheet; }
      var text = canonical(payload);
      var plaintext = enc.encode(text);
      say("入札書を暗号化しています…");
      var aad = enc.encode("tender-bid|case=" + form.dataset.case + "|round=" + form.dataset.round + "|company=" +
                           form.dataset.company + "|receipt=" + form.dataset.receipt);
      var envelope = await seal(form.dataset.sealKey, plaintext, aad);
      var fingerprint = hex(await crypto.subtle.digest("SHA-256", plaintext));
      localStorage.setItem("tender-bid-" + form.dataset.receipt, JSON.stringify({
        receipt_number: form.dataset.receipt, fingerprint: fingerprint, nonce: payload.nonce, payload: text,
        saved_at: new Date().toISOString()
      }));
      saveDraft();
      form.querySelector('input[name="sealed_bid"]').value = envelope;
      form.querySelector('input[name="fingerprint"]').value = fingerprint;
      say("封印しました（指紋 " + fingerprint.slice(0, 16) + "…）。送信しています…");
      form.submit();
    } catch (e) {
      fail(["入札書を封印できませんでした。ページを再読み込みして、もう一度お試しください。（" + e + "）"]);
    }
  });

  button.disabled = false;
})();
