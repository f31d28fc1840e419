/*
 * The bidder's own copy of a sealed bid (issue 13 item 3, issue 14: a lost reply).
 * seal-bid.js kept the payload and its 照合用コード in this browser before sending; this shows the
 * code beside the receipt and offers the copy as a file. Nothing here is sent anywhere. The page
 * works without it: the copy is then simply not shown.
 */
(function () {
  "use strict";
  document.querySelectorAll("[data-bid-copy]").forEach(function (box) {
    var receipt = box.dataset.bidCopy;
    var stored = null;
    try { stored = JSON.parse(localStorage.getItem("tender-bid-" + receipt) || "null"); } catch (e) { stored = null; }
    if (!stored) { return; }
    Object.keys(sessionStorage).forEach(function (k) { if (k.indexOf("tender-bid-draft-") === 0) { sessionStorage.removeItem(k); } });
    var matches = stored.fingerprint === box.dataset.fingerprint;
    box.querySelector("[data-code]").textContent = stored.nonce;
    box.querySelector("[data-match]").textContent = matches
      ? "この端末に保存した控えの指紋は、受理票の指紋と一致しています。"
      : "この端末に保存した控えの指紋が受理票と一致しません。担当部署に連絡してください。";
    var link = box.querySelector("[data-download]");
    link.href = URL.createObjectURL(new Blob([JSON.stringify(stored, null, 2)], { type: "application/json" }));
    link.download = "入札書の控え-" + receipt + ".json";
    box.hidden = false;
  });
})();
