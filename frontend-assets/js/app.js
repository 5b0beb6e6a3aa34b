// Small page helpers: local times (re-applied after htmx swaps) and the CSRF token on htmx requests. No inline scripts anywhere.
(function () {
  'use strict';

  const local = new Intl.DateTimeFormat(undefined, {
    year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit'
  });

  /** Rewrites every <time datetime> below root into the viewer's zone; the UTC text stays in the tooltip. */
  function localizeTimes(root) {
    (root || document).querySelectorAll('time[datetime]').forEach(function (el) {
      const at = new Date(el.getAttribute('datetime'));
      if (isNaN(at)) { return; }
      // "12 s ago" in a fleet's rows stays as the server wrote it; the local time goes in the tooltip
      if (el.hasAttribute('data-ago')) { el.title = local.format(at); return; }
      if (!el.title) { el.title = el.textContent.trim(); }
      el.textContent = local.format(at);
    });
  }

  /** Every htmx request carries the page's CSRF token, so state-changing ones pass the CSRF check. */
  document.addEventListener('htmx:configRequest', function (event) {
    const token = document.querySelector('meta[name="_csrf"]');
    const header = document.querySelector('meta[name="_csrf_header"]');
    if (token && header) {
      event.detail.headers[header.content] = token.content;
    }
  });

  /**
   * htmx swaps HTML only. Buttons that call the JSON API ("Sample now", a scan's "Cancel") use hx-swap="none", but htmx
   * still parses the answer as HTML (looking for out-of-band swaps), and a key name such as <img src=x onerror=...>
   * in that JSON would become a live element. The CSP blocks its handler; this keeps it from being parsed at all.
   */
  document.addEventListener('htmx:beforeSwap', function (event) {
    const type = event.detail.xhr.getResponseHeader('Content-Type') || '';
    if (!/^text\/html/i.test(type)) {
      event.detail.shouldSwap = false;
    }
  });

  const UTC_IN_TEXT = /(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}(?::\d{2})?) UTC/g;

  /**
   * Server-written sentences (evidence of checks and diagnoses) name times as "2026-11-17 05:17:59 UTC": inside
   * [data-utc-text], each becomes a <time> in the viewer's zone with the UTC text on hover. Built with DOM nodes,
   * never HTML, so the sentences stay text.
   */
  function localizeUtcText(root) {
    (root || document).querySelectorAll('[data-utc-text]').forEach(function (container) {
      const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
      const nodes = [];
      while (walker.nextNode()) {
        if (walker.currentNode.parentNode.nodeName !== 'TIME') { nodes.push(walker.currentNode); }
      }
      nodes.forEach(function (node) {
        const text = node.nodeValue;
        UTC_IN_TEXT.lastIndex = 0;
        if (!UTC_IN_TEXT.test(text)) { return; }
        const parts = document.createDocumentFragment();
        let last = 0;
        text.replace(UTC_IN_TEXT, function (match, day, time, offset) {
          parts.appendChild(document.createTextNode(text.slice(last, offset)));
          const el = document.createElement('time');
          el.setAttribute('datetime', day + 'T' + time + 'Z');
          el.textContent = match;
          parts.appendChild(el);
          last = offset + match.length;
          return match;
        });
        parts.appendChild(document.createTextNode(text.slice(last)));
        node.parentNode.replaceChild(parts, node);
      });
    });
  }

  function localize(root) {
    localizeUtcText(root);
    localizeTimes(root);
  }

  document.addEventListener('DOMContentLoaded', function () { localize(document); });
  document.addEventListener('htmx:afterSettle', function (event) { localize(event.target); });

  window.memdoctor = Object.assign(window.memdoctor || {}, { localizeTimes: localize });
})();
