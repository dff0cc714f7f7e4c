/* Signpost default theme: small enhancements. Every page works without this file.
   It makes no requests, sets no cookies and stores nothing. */
(function () {
  "use strict";

  var doc = document;

  /* ---- Quick exit ---- */

  var exiting = false;

  function exitLink() {
    return doc.querySelector("[data-quick-exit]");
  }

  function quickExit(url) {
    if (exiting || !url) {
      return;
    }
    exiting = true;
    // Replace this page in the history, so Back does not return to it.
    window.location.replace(url);
    // Blank the page at once, so nothing lingers while the next page loads.
    try {
      doc.title = "";
      if (doc.body) {
        doc.body.textContent = "";
        doc.body.hidden = true;
      }
    } catch (e) {
      /* nothing more to do */
    }
  }

  doc.addEventListener("click", function (event) {
    var target = event.target;
    var link = target && target.closest ? target.closest("[data-quick-exit]") : null;
    if (!link) {
      return;
    }
    event.preventDefault();
    quickExit(link.href);
  });

  // Shift pressed three times within five seconds, on its own, as GOV.UK's
  // "Exit this page" does. Any other key in between starts the count again.
  var presses = [];
  var otherKeyWithShift = false;
  var WINDOW_MS = 5000;
  var hint = doc.querySelector("[data-quick-exit-hint]");

  function showCount() {
    if (!hint) {
      return;
    }
    if (presses.length > 0 && presses.length < 3) {
      hint.classList.add("is-counting");
      hint.setAttribute("data-count", String(presses.length));
    } else {
      hint.classList.remove("is-counting");
      hint.removeAttribute("data-count");
    }
  }

  function isShift(event) {
    return event.key === "Shift" || event.keyCode === 16;
  }

  doc.addEventListener("keydown", function (event) {
    if (isShift(event)) {
      return;
    }
    otherKeyWithShift = event.shiftKey;
    presses = [];
    showCount();
  }, true);

  doc.addEventListener("keyup", function (event) {
    if (!isShift(event)) {
      return;
    }
    if (otherKeyWithShift) {
      // Shift was used to type something (a capital letter), not pressed alone.
      otherKeyWithShift = false;
      return;
    }
    var now = Date.now();
    presses = presses.filter(function (t) {
      return now - t < WINDOW_MS;
    });
    presses.push(now);
    if (presses.length >= 3) {
      presses = [];
      var link = exitLink();
      if (link) {
        quickExit(link.href);
      }
    }
    showCount();
  }, true);

  /* ---- Enhancements that need the page ---- */

  function ready(fn) {
    if (doc.readyState === "loading") {
      doc.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  ready(function () {
    // The shortcut works only with JavaScript, so its hint appears only now.
    if (hint) {
      hint.hidden = false;
    }

    // Print button on the print page.
    var printWrap = doc.querySelector("[data-print-wrap]");
    var printButton = doc.querySelector("[data-print]");
    if (printWrap && printButton && typeof window.print === "function") {
      printWrap.hidden = false;
      printButton.addEventListener("click", function () {
        window.print();
      });
    }

    // Search within the A to Z list of services.
    var filter = doc.querySelector("[data-filter]");
    var input = doc.querySelector("[data-filter-input]");
    var list = doc.querySelector("[data-filter-list]");
    if (!filter || !input || !list) {
      return;
    }
    var items = Array.prototype.slice.call(list.children);
    var status = doc.querySelector("[data-filter-status]");
    var empty = doc.querySelector("[data-filter-empty]");
    var texts = items.map(function (item) {
      return normalise(item.textContent || "");
    });
    var timer = null;

    function normalise(text) {
      var t = text.toLowerCase();
      if (t.normalize) {
        t = t.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
      }
      return t.replace(/[’']/g, "").replace(/\s+/g, " ");
    }

    function apply() {
      var words = normalise(input.value).trim().split(" ").filter(Boolean);
      var shown = 0;
      items.forEach(function (item, i) {
        var match = words.every(function (w) {
          return texts[i].indexOf(w) !== -1;
        });
        item.hidden = !match;
        if (match) {
          shown += 1;
        }
      });
      if (empty) {
        empty.hidden = shown !== 0;
      }
      if (status) {
        // Announce after typing pauses, so screen readers are not flooded.
        clearTimeout(timer);
        timer = setTimeout(function () {
          status.textContent = words.length === 0
            ? ""
            : shown + (shown === 1 ? " service matches" : " services match") + " your search.";
        }, 400);
      }
    }

    filter.hidden = false;
    input.addEventListener("input", apply);
    // The search sits in a form-free block: Enter must not do anything surprising.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        input.value = "";
        apply();
      }
    });
  });
})();
