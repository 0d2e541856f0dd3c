/* The annotated article: a click (or Enter) on a passage lists every row that cites it, grouped
   by table, in a dialog; "Show in the text" marks the whole passage of a row; the legend's
   checkboxes show or hide each table's underlines. Everything else on the site works without it. */
(function () {
  "use strict";

  function setup() {
    var text = document.getElementById("article-text");
    var dataNode = document.getElementById("kd-rows-data");
    if (!text || !dataNode || text.getAttribute("data-ready")) return;
    var data = JSON.parse(dataNode.textContent);
    var dialog = document.getElementById("kd-rows-dialog");
    var body = dialog.querySelector(".kd-dialog-body");
    var quote = dialog.querySelector(".kd-dialog-quote");
    var opener = null;

    function segmentsOf(key) {
      return Array.prototype.filter.call(text.querySelectorAll(".kd-seg"), function (seg) {
        return (" " + seg.getAttribute("data-rows") + " ").indexOf(" " + key + " ") >= 0;
      });
    }

    function mark(key) {
      Array.prototype.forEach.call(text.querySelectorAll(".kd-marked"), function (seg) { seg.classList.remove("kd-marked"); });
      var segs = segmentsOf(key);
      segs.forEach(function (seg) { seg.classList.add("kd-marked"); });
      return segs;
    }

    function openList(seg) {
      var keys = seg.getAttribute("data-rows").split(" ");
      body.textContent = "";
      quote.textContent = "\u201c" + seg.firstChild.textContent.replace(/\s+/g, " ").trim() + "\u201d";
      data.tables.forEach(function (table, index) {
        var mine = keys.filter(function (k) { return data.rows[k] && data.rows[k][0] === index; });
        if (!mine.length) return;
        var section = document.createElement("section");
        section.className = "kd-dialog-group kd-c" + table[2];
        var heading = document.createElement("h3");
        heading.textContent = table[1] + " (" + mine.length + ")";
        var list = document.createElement("ul");
        mine.forEach(function (k) {
          var item = document.createElement("li");
          var a = document.createElement("a");
          a.href = "#row--" + k;
          a.textContent = data.rows[k][1];
          a.addEventListener("click", function () { dialog.close(); });
          item.appendChild(a);
          list.appendChild(item);
        });
        section.appendChild(heading);
        section.appendChild(list);
        body.appendChild(section);
      });
      opener = seg;
      dialog.showModal();
      var first = body.querySelector("a");
      if (first) first.focus();
    }

    text.addEventListener("click", function (event) {
      var seg = event.target.closest("a.kd-seg");
      if (!seg) return;
      event.preventDefault();
      openList(seg);
    });
    dialog.querySelector(".kd-close").addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () {
      if (opener && !/^#row--/.test(location.hash)) opener.focus();
    });
    dialog.addEventListener("click", function (event) { if (event.target === dialog) dialog.close(); });

    function onHash() {
      var hash = decodeURIComponent(location.hash.slice(1));
      if (hash.indexOf("span--") === 0) {
        if (plain && !plain.hidden && toggle) toggle.click();  /* marking needs the annotated text */
        var segs = mark(hash.slice("span--".length));
        if (segs.length) segs[0].focus({ preventScroll: true });
      } else if (hash.indexOf("row--") === 0) {
        var card = document.getElementById(hash);
        if (card && card.tagName === "DETAILS") {
          card.open = true;
          card.querySelector("summary").focus({ preventScroll: true });
        }
      }
    }
    window.addEventListener("hashchange", onHash);
    onHash();

    var boxes = document.querySelectorAll(".kd-legend input[type=checkbox]");
    Array.prototype.forEach.call(boxes, function (box) {
      box.addEventListener("change", function () {
        text.classList.toggle("kd-hide-" + box.getAttribute("data-colour"), !box.checked);
      });
    });

    /* plain-text mode: the text without links (one Tab stop fewer per passage), sentence numbers kept */
    var plain = document.getElementById("article-plain");
    var toggle = document.querySelector(".kd-plain-toggle");
    if (plain && toggle) {
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        var on = toggle.getAttribute("aria-pressed") !== "true";
        toggle.setAttribute("aria-pressed", on ? "true" : "false");
        plain.hidden = !on;
        text.hidden = on;
        Array.prototype.forEach.call(boxes, function (box) { box.disabled = on; });
      });
    }
    text.setAttribute("data-ready", "1");
  }

  /* Material's theme leaves two things axe reports, fixed here rather than by copying its templates:
     the search dialog has no name, and code blocks and tables that scroll cannot be reached by keyboard. */
  function theme() {
    var search = document.querySelector(".md-search[role=dialog]");
    if (search && !search.getAttribute("aria-label")) search.setAttribute("aria-label", "Search the site");
    Array.prototype.forEach.call(document.querySelectorAll("pre > code"), function (code) {
      if (!code.hasAttribute("tabindex")) code.setAttribute("tabindex", "0");
    });
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset__scrollwrap"), function (wrap) {
      if (wrap.hasAttribute("tabindex")) return;
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", "Table (scrolls sideways)");
    });
  }

  function all() { theme(); setup(); }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(all);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", all);
  } else {
    all();
  }
})();
