/* What depends on today, computed in the reader's browser on top of a page that never changes:
   - a "today" line on every timeline chart (figure.pp-timeline[data-first][data-last]);
   - past items of every dated list greyed (li.pp-ev[data-last]), today's flagged;
   - on lists marked data-upcoming-first, the months already over move to the end, folded;
   - a plan's status from its period (span.pp-status[data-first][data-last]);
   - a plan's next deadline (span.pp-next) from its own dated list.
   Words replace words in boxes whose size the page already fixes (planpub.css): nothing moves. */
(function () {
  "use strict";
  var WIDTH = 1000, SVG = "http://www.w3.org/2000/svg";

  function iso(d) {
    var m = d.getMonth() + 1, day = d.getDate();
    return d.getFullYear() + "-" + (m < 10 ? "0" : "") + m + "-" + (day < 10 ? "0" : "") + day;
  }
  function days(a, b) {  // whole days from iso a to iso b
    return Math.round((Date.parse(b + "T00:00:00Z") - Date.parse(a + "T00:00:00Z")) / 86400000);
  }
  var today = iso(new Date());

  function markCharts() {
    document.querySelectorAll("figure.pp-timeline[data-first][data-last]").forEach(function (fig) {
      var first = fig.getAttribute("data-first"), last = fig.getAttribute("data-last");
      var svg = fig.querySelector("svg.pp-tl-chart");
      if (!svg || today < first || today > last || svg.querySelector(".pp-tl-today")) return;
      var total = days(first, last) + 1, x = (WIDTH * (days(first, today) + 0.5) / total).toFixed(1);
      var height = svg.viewBox.baseVal.height;
      var line = document.createElementNS(SVG, "line");
      line.setAttribute("class", "pp-tl-today");
      line.setAttribute("x1", x); line.setAttribute("x2", x);
      line.setAttribute("y1", "20"); line.setAttribute("y2", String(height));
      svg.appendChild(line);
      var label = document.createElementNS(SVG, "text");
      label.setAttribute("class", "pp-tl-today-label");
      label.setAttribute("x", String(Math.min(Number(x) + 4, WIDTH - 60)));
      label.setAttribute("y", "26");
      label.textContent = "Hôm nay";
      svg.appendChild(label);
    });
  }

  function markItems() {
    document.querySelectorAll("li.pp-ev[data-last]").forEach(function (li) {
      var first = li.getAttribute("data-first") || li.getAttribute("data-last");
      var last = li.getAttribute("data-last");
      if (last < today) li.classList.add("pp-past");
      else if (first <= today) li.classList.add("pp-today");
    });
  }

  function upcomingFirst() {
    document.querySelectorAll(".pp-due[data-upcoming-first]").forEach(function (box) {
      var past = [].slice.call(box.querySelectorAll(":scope > section.pp-month")).filter(function (s) {
        return s.getAttribute("data-last") < today;
      });
      if (!past.length || box.querySelector(".pp-past-months")) return;
      var fold = document.createElement("details");
      fold.className = "pp-past-months pp-plain";
      var summary = document.createElement("summary");
      summary.textContent = "Các tháng đã qua (" + past.length + ")";
      fold.appendChild(summary);
      past.forEach(function (s) { fold.appendChild(s); });
      box.appendChild(fold);
    });
  }

  function status() {
    document.querySelectorAll("span.pp-status[data-first][data-last]").forEach(function (span) {
      var first = span.getAttribute("data-first"), last = span.getAttribute("data-last");
      span.textContent = today < first ? "Sắp bắt đầu" : today > last ? "Đã kết thúc" : "Đang thực hiện";
    });
  }

  function nextDeadline() {
    document.querySelectorAll("span.pp-next").forEach(function (span) {
      var items = [].slice.call(document.querySelectorAll(".pp-due li.pp-ev.pp-tl-task, .pp-due li.pp-ev.pp-tl-row"));
      var next = items.filter(function (li) { return li.getAttribute("data-last") >= today; })[0];
      if (!next) {
        span.textContent = "Các thời hạn của kế hoạch đã qua.";
        return;
      }
      var link = next.querySelector("a");
      span.textContent = "Thời hạn tiếp theo: ";
      var a = document.createElement("a");
      a.href = link.getAttribute("href");
      a.textContent = next.querySelector("time").textContent + " — " + link.textContent;
      span.appendChild(a);
    });
  }

  // A region that scrolls sideways (a wide table, a timeline chart) must be reachable by keyboard.
  function scrollable() {
    var counts = { table: 0, chart: 0 };
    document.querySelectorAll(".md-typeset__scrollwrap, .pp-tl-scroll").forEach(function (box) {
      if (box.hasAttribute("tabindex")) return;
      var chart = box.classList.contains("pp-tl-scroll");
      var n = ++counts[chart ? "chart" : "table"];
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");  // each named apart: landmarks must be unique
      box.setAttribute("aria-label", (chart ? "Dòng thời gian " : "Bảng ") + n + " (cuộn ngang)");
    });
  }

  function run() {
    markCharts(); markItems(); upcomingFirst(); status(); nextDeadline(); scrollable();
  }
  // Material's instant navigation replaces the page without a load event: follow it when present.
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(run);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
