// Cluster page chart: used memory (solid) and RSS (dashed) of each shard's primary on one chart, read from
// /api/clusters/{id}/history; failovers are vertical lines. Failed samples are gaps.
(function () {
  'use strict';

  const COLORS = ['--chart-used', '--chart-rss', '--chart-dataset', '--chart-clients', '--chart-backlog',
    '--chart-scripts', '--chart-cluster', '--chart-aof'];
  let chart = null;
  let span = 3600e3;

  function css(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#4b6cb7';
  }

  // the byte format and the marker plugin are the instance charts' (charts.js, loaded by the layout first)
  const bytes = window.memdoctor.bytes;

  function label(ms) {
    const options = span <= 86400e3 ? { hour: '2-digit', minute: '2-digit' }
      : { month: 'short', day: 'numeric', hour: '2-digit' };
    return new Intl.DateTimeFormat(undefined, options).format(new Date(ms));
  }

  function load(section) {
    const status = document.getElementById('cluster-chart-status');
    const to = Date.now();
    const from = to - span;
    const url = '/api/clusters/' + encodeURIComponent(section.dataset.cluster) + '/history?from='
      + new Date(from).toISOString() + '&to=' + new Date(to).toISOString() + '&maxPoints=400';
    fetch(url, { headers: { Accept: 'application/json' } }).then(function (r) {
      if (!r.ok) { throw new Error('HTTP ' + r.status); }
      return r.json();
    }).then(function (h) {
      const datasets = [];
      h.shards.forEach(function (s, i) {
        const color = css(COLORS[i % COLORS.length]);
        const xy = function (field) {
          return s.points.map(function (p) { return { x: Date.parse(p.at), y: p[field] }; });
        };
        const name = s.address + (s.slots ? ' (' + s.slots + ')' : '');
        datasets.push({ label: name + ' used', data: xy('usedMemory'), borderColor: color, backgroundColor: color,
          borderWidth: 2, pointRadius: 0, spanGaps: false });
        datasets.push({ label: name + ' RSS', data: xy('usedMemoryRss'), borderColor: color, backgroundColor: color,
          borderDash: [5, 4], borderWidth: 1.5, pointRadius: 0, spanGaps: false });
      });
      const failovers = h.events.filter(function (e) { return e.kind === 'FAILOVER'; })
        .map(function (e) { return { at: Date.parse(e.at), label: 'failover', kind: 'failover' }; });
      const options = {
        animation: false, responsive: true, maintainAspectRatio: false, parsing: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: { type: 'linear', min: from, max: to, ticks: { callback: label, maxTicksLimit: 7 } },
          y: { beginAtZero: true, ticks: { callback: bytes } }
        },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 12 } },
          tooltip: { callbacks: { label: function (item) { return item.dataset.label + ': ' + bytes(item.parsed.y); },
            title: function (items) { return items.length ? new Date(items[0].parsed.x).toLocaleString() : ''; } } },
          incidentMarkers: { list: failovers, inset: 24 }
        }
      };
      if (chart) { chart.destroy(); }
      chart = new Chart(document.getElementById('shards-chart'), { type: 'line', data: { datasets: datasets },
        options: options, plugins: [window.memdoctor.markerPlugin] });
      const points = h.shards.reduce(function (n, s) { return n + s.points.length; }, 0);
      status.textContent = points === 0 ? 'No samples in this range yet.'
        : h.shards.length + ' shards, ' + failovers.length + ' failover(s) in this range.';
    }).catch(function (e) {
      status.textContent = 'Could not load the history: ' + e.message;
    });
  }

  function init() {
    const section = document.getElementById('cluster-chart');
    if (!section || typeof Chart === 'undefined') { return; }
    section.querySelectorAll('.ranges a').forEach(function (a) {
      a.addEventListener('click', function (ev) {
        ev.preventDefault();
        span = Number(a.dataset.span);
        section.querySelectorAll('.ranges a').forEach(function (o) {
          o.classList.toggle('active', o === a);
          o.setAttribute('aria-current', o === a ? 'true' : 'false');
        });
        load(section);
      });
    });
    load(section);
    setInterval(function () { load(section); }, 15000);
  }

  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', init); } else { init(); }
})();
