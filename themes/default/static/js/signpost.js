/* Signpost default theme: small enhancements. Every page works without this file.
   It makes no requests, sets no cookies and stores nothing. */
(function () {
  "use strict";

  var doc = document;

  // The page's words for what this script says (base.html, from the theme's
  // words file for the page's language); English where a theme gives none.
  function word(name, fallback, n) {
    var holder = doc.querySelector("[data-words]");
    // Without the isolation marks a word lent by another language carries.
    var text = ((holder && holder.getAttribute("data-" + name)) || fallback).replace(/[\u2066-\u2069]/g, "");
    return n === undefined ? text : text.replace("{n}", String(n));
  }

  /* ---- Quick exit ---- */

  var exiting = false;
  var title = doc.title;
  var overlay = null;
  var status = doc.querySelector("[data-quick-exit-status]");

  function exitLink() {
    return doc.querySelector("[data-quick-exit]");
  }

  // Says something to screen readers, in the exit bar's live region.
  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function quickExit(url) {
    if (exiting || !url) {
      return;
    }
    exiting = true;
    // Replace this page in the history, so Back does not return to it.
    window.location.replace(url);
    // Blank the page at once while the next loads.
    doc.title = "";
    say("");
    doc.documentElement.classList.add("is-exiting");
    if (doc.body) {
      overlay = doc.createElement("p");
      overlay.className = "exit-overlay";
      overlay.setAttribute("role", "alert");
      doc.body.appendChild(overlay);
      overlay.textContent = word("quick-exit-activated", "Exit this page activated");
    }
  }

  // Restored with Back from the cache: show it again, count afresh.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    exiting = false;
    doc.documentElement.classList.remove("is-exiting");
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
    doc.title = title;
    resetCount("");
  });

  // A link to another page of the guide: true for a plain click on it.
  function inGuide(event, link) {
    var target = link.getAttribute("target");
    return !event.defaultPrevented && event.button === 0 &&
      !(event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) &&
      link.hasAttribute("href") && !link.hasAttribute("download") &&
      (!target || target === "_self") &&
      link.protocol === location.protocol && link.host === location.host &&
      /^(https?|file):$/.test(link.protocol);
  }

  doc.addEventListener("click", function (event) {
    var target = event.target;
    var link = target && target.closest ? target.closest("a") : null;
    if (!link) {
      return;
    }
    if (link.hasAttribute("data-quick-exit")) {
      event.preventDefault();
      quickExit(link.href);
    } else if (inGuide(event, link)) {
      // A visit is one history entry, which the exit replaces.
      event.preventDefault();
      location.replace(link.href);
    }
  });

  // Shift alone 3 times, each within 5 s of the last (GOV.UK's "Exit this
  // page"); any other key starts again.
  var presses = 0;
  var lastKeyHadShift = false;
  var timer = null;
  var hint = doc.querySelector("[data-quick-exit-hint]");

  function showCount() {
    if (!hint) {
      return;
    }
    hint.classList.toggle("is-counting", presses > 0);
    hint.setAttribute("data-count", word("quick-exit-count", "{n} of 3", presses));
  }

  function resetCount(text) {
    clearTimeout(timer);
    timer = null;
    presses = 0;
    showCount();
    say(text);
  }

  doc.addEventListener("keyup", function (event) {
    var shift = event.key === "Shift" || event.keyCode === 16;
    if (shift && !lastKeyHadShift) {
      presses += 1;
      clearTimeout(timer);
      if (presses >= 3) {
        resetCount("");
        var link = exitLink();
        if (link) {
          quickExit(link.href);
        }
      } else {
        showCount();
        var left = 3 - presses;
        say(word("quick-exit-press-" + (left === 1 ? "one" : "other"), "Shift, press {n} more time" + (left === 1 ? "" : "s") + " to exit", left));
        timer = setTimeout(function () {
          resetCount(word("quick-exit-expired", "Exit this page expired"));
        }, 5000);
      }
    } else if (timer) {
      resetCount(word("quick-exit-expired", "Exit this page expired"));
    }
    // Shift held for a capital letter is not a press.
    lastKeyHadShift = event.shiftKey;
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
    // The shortcut needs this script: show its hint now.
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

    // The printed footer's date: the day it is printed, not built.
    // In the page's words, not the browser's (which may lack Welsh dates).
    var dated = doc.querySelector("[data-print-date]");
    if (dated) {
      var today = new Date();
      var months = (dated.getAttribute("data-print-months") || "").split("|");
      var format = dated.getAttribute("data-print-date-format");
      var when = months.length === 12 && format
        ? format.replace("{day}", String(today.getDate())).replace("{month}", months[today.getMonth()])
          .replace("{year}", String(today.getFullYear()))
        : today.toLocaleDateString(doc.documentElement.lang, { day: "numeric", month: "long", year: "numeric" });
      doc.documentElement.style.setProperty("--print-date", JSON.stringify(dated.getAttribute("data-print-date") + " " + when));
    }

    initSearch();
  });

  /* ---- Search on an area's guide ---- */

  // The index, A/search-index.js, may run after this file: wait for it.
  function initSearch() {
    var root = doc.querySelector("[data-search]");
    if (!root) {
      return;
    }
    if (!window.signpostSearchIndex) {
      window.addEventListener("load", function () {
        if (window.signpostSearchIndex) {
          startSearch(root, window.signpostSearchIndex);
        }
      });
      return;
    }
    startSearch(root, window.signpostSearchIndex);
  }

  // As the index folds: lower case, no accents (ø as o), no apostrophes.
  function fold(text) {
    var t = text.toLowerCase();
    if (t.normalize) {
      t = t.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    }
    return t.replace(/[’']/g, "").replace(/ø/g, "o").replace(/[^0-9a-z\u00c0-\uffff]+/g, " ").trim();
  }

  // Edit distance, stopping early once it is over `max`.
  function withinEdits(a, b, max) {
    if (Math.abs(a.length - b.length) > max) {
      return false;
    }
    // Optimal string alignment: a swap of two letters counts as one typo.
    var prev2 = null, prev = [], i, j;
    for (j = 0; j <= b.length; j++) {
      prev[j] = j;
    }
    for (i = 1; i <= a.length; i++) {
      var cur = [i], best = i;
      for (j = 1; j <= b.length; j++) {
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          cur[j] = Math.min(cur[j], prev2[j - 2] + 1);
        }
        best = Math.min(best, cur[j]);
      }
      if (best > max) {
        return false;
      }
      prev2 = prev;
      prev = cur;
    }
    return prev[b.length] <= max;
  }

  // A typed term against words: 3 exact, 2 prefix, 1 a typo or two away.
  function termScore(term, words) {
    var best = 0;
    var typos = term.length >= 8 ? 2 : term.length >= 4 ? 1 : 0;
    for (var i = 0; i < words.length && best < 3; i++) {
      var w = words[i];
      if (w === term) {
        best = 3;
      } else if (best < 2 && w.indexOf(term) === 0) {
        best = 2;
      } else if (best < 1 && typos > 0 && withinEdits(term, w, typos)) {
        best = 1;
      }
    }
    return best;
  }

  // Opened from the file system (a portable copy, `build --portable`), a link
  // to a folder shows a listing, not the page: name its index.html, as the
  // portable build does for the links in the HTML.
  function pageLink(path) {
    return location.protocol === "file:" && /\/$/.test(path) ? path + "index.html" : path;
  }

  function startSearch(root, index) {
    function part(name) {
      return root.querySelector("[data-search-" + name + "]");
    }
    var input = part("input"), needSelect = part("need"), womenOnly = part("women");
    var selfReferral = part("self"), results = part("results"), status = part("status");
    var base = root.getAttribute("data-search-base");
    var timer = null;
    // Synonyms (phrases too) and words to ignore, from src/search.rs.
    var syn = index.synonyms || {}, ignore = index.ignore || [];
    // And the page's language's own (`search_synonyms` in the theme's words:
    // "ty=tai cartref=tai ..."), which the index of that language is made of.
    word("search-synonyms", "").split(" ").forEach(function (pair) {
      var two = pair.split("=");
      if (two.length === 2 && two[0] && two[1]) {
        syn[fold(two[0])] = fold(two[1]);
      }
    });
    var services = index.services.map(function (s) {
      return { s: s, title: s.title_words.split(" "), words: s.words.split(" ") };
    });

    // Need names as words, for ranking.
    var needWords = index.needs.map(function (n) {
      return fold(n[1]).split(" ");
    });

    function search() {
      var typed = " " + fold(input.value) + " ";
      for (var k in syn) {
        typed = k.indexOf(" ") > 0 ? typed.split(" " + k + " ").join(" " + syn[k] + " ") : typed;
      }
      var terms = typed.split(" ").filter(function (w) {
        return w && ignore.indexOf(w) < 0;
      });
      var need = needSelect.value, women = womenOnly.checked, self = selfReferral.checked;
      var blank = !typed.trim();
      if (blank && !need && !women && !self) {
        return null;
      }
      // All words match; failing that, any.
      var found = [], some = [];
      services.forEach(function (entry, order) {
        var s = entry.s;
        if ((need && !s.needs.some(function (n) { return index.needs[n][0] === need; })) ||
            (women && !s.women_only) || (self && !s.self_referral)) {
          return;
        }
        var score = 0, missing = 0;
        for (var t = 0; t < terms.length; t++) {
          var term = terms[t];
          var inTitle = termScore(term, entry.title);
          var inWords = termScore(term, entry.words);
          var synonym = syn[term];
          if (synonym) {
            inWords = Math.max(inWords, termScore(synonym, entry.words), termScore(synonym, entry.title));
          }
          var best = Math.max(inTitle * 2, inWords);
          // Under the need it names: +3 as first need, +1 as another.
          var at = s.needs.findIndex(function (n) {
            return termScore(synonym || term, needWords[n]) > 0;
          });
          missing += best ? 0 : 1;
          score += best && best + (at < 0 ? 0 : at ? 1 : 3);
        }
        (missing || !blank && !terms.length ? some : found).push({ s: s, score: score, order: order });
      });
      if (!found.length) {
        found = some.filter(function (hit) { return hit.score; });
      }
      found.sort(function (a, b) {
        return b.score - a.score || a.order - b.order;
      });
      return found;
    }

    function render() {
      var found = search();
      results.textContent = "";
      if (found === null) {
        results.hidden = true;
        announce("");
        return;
      }
      function add(parent, tag, name, text) {
        var el = doc.createElement(tag);
        el.className = name;
        el.textContent = text;
        return parent.appendChild(el);
      }
      found.forEach(function (hit) {
        var s = hit.s;
        var li = add(results, "li", "service-list__item", "");
        add(add(li, "h3", "service-list__name", ""), "a", "", s.name).href = pageLink(base + s.path);
        add(li, "p", "service-list__org", s.org + (s.national ? " · " + word("national-helpline", "National helpline") : ""));
        add(li, "p", "service-list__summary", s.summary);
        if (s.phone) {
          add(add(li, "p", "service-list__phone", "Phone: "), "a", "", s.phone[0]).href = "tel:" + s.phone[1];
        }
      });
      if (!found.length) {
        // Never a dead end: the numbers to call now.
        var list = add(add(results, "li", "search__none", "No services match. You can talk to someone now:"), "ul", "urgent__list", "");
        doc.querySelectorAll("[data-urgent] .urgent__list li").forEach(function (item) {
          list.appendChild(item.cloneNode(true));
        });
      }
      results.hidden = false;
      announce(found.length === 0
        ? word("search-none", "No services match. Try another word, fewer filters, or call a national helpline.")
        : found.length === 1
          ? word("search-matches-one", "{n} service matches.", 1)
          : word("search-matches-other", "{n} services match.", found.length));
    }

    function announce(text) {
      // Announce once typing pauses, not on every key.
      clearTimeout(timer);
      timer = setTimeout(function () {
        status.textContent = text;
      }, 300);
    }

    root.hidden = false;
    input.addEventListener("input", render);
    [needSelect, womenOnly, selfReferral].forEach(function (control) {
      control.addEventListener("change", render);
    });
    root.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      render();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        input.value = "";
        render();
      }
    });
  }
})();
