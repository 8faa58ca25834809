/* Lịch page: the "Sao chép địa chỉ" buttons copy a feed's address to the clipboard.
   navigator.clipboard needs a secure context (https or localhost); elsewhere a hidden
   textarea and execCommand("copy") do it; when both fail the address is selected for Ctrl+C. */
(function () {
  "use strict";

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "-1000px";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    document.body.removeChild(area);
    return ok;
  }

  function selectAddress(button) {
    var code = button.closest(".pp-feed") && button.closest(".pp-feed").querySelector("code");
    if (!code || !window.getSelection) return;
    var range = document.createRange();
    range.selectNodeContents(code);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function done(button, ok) {
    var label = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", label);
    button.textContent = ok ? "Đã sao chép ✓" : "Hãy nhấn Ctrl+C để sao chép";
    if (!ok) selectAddress(button);
    window.setTimeout(function () {
      button.textContent = label;
    }, 2500);
  }

  function copy(button) {
    var text = button.getAttribute("data-copy");
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { done(button, true); },
        function () { done(button, fallbackCopy(text)); }
      );
    } else {
      done(button, fallbackCopy(text));
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.pp-copy");
    if (button) {
      event.preventDefault();
      copy(button);
    }
  });
})();
