// Diagnosis panel: follows the chart range. charts.js handles the range links (and keeps the URL's ?range=);
// this reloads #diagnosis for the same range through htmx, so the panel always explains what the charts show.
(function () {
  'use strict';

  function reload(range) {
    const panel = document.getElementById('diagnosis');
    if (!panel || !window.htmx || !range) { return; }
    const url = new URL(panel.getAttribute('hx-get'), window.location.origin);
    if (url.searchParams.get('range') === range && panel.dataset.range === range) { return; }
    url.searchParams.set('range', range);
    panel.setAttribute('hx-get', url.pathname + url.search);
    panel.dataset.range = range;
    window.htmx.ajax('GET', url.pathname + url.search, { target: panel, swap: 'outerHTML' });
  }

  document.addEventListener('click', function (event) {
    const link = event.target.closest && event.target.closest('#charts .ranges a[data-range]');
    if (link) { reload(link.dataset.range); }
  });

  window.memdoctor = Object.assign(window.memdoctor || {}, { reloadDiagnosis: reload });
})();
