// Scan pages: sortable result tables, and the charts of a scan (bytes by pattern and by type, the TTL histogram),
// drawn from GET /api/scans/{id}. Key names are hostile data: only textContent in the DOM; Chart.js draws labels on
// a canvas, which never interprets them.
(function () {
  'use strict';

  const TOP_PATTERNS = 15;
  const charts = {};

  function css(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function palette() {
    return ['--scan-c1', '--scan-c2', '--scan-c3', '--scan-c4', '--scan-c5', '--scan-c6', '--scan-c7', '--scan-c8']
      .map(css);
  }

  function bytes(value) {
    if (value == null) { return '—'; }
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let v = Math.abs(value);
    let i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (i === 0 ? v.toFixed(0) : v >= 100 ? v.toFixed(0) : v.toFixed(1)) + ' ' + units[i];
  }

  function count(value) {
    return value == null ? '—' : Number(value).toLocaleString();
  }

  // ---- sortable tables: a button per heading; numbers sort by data-value, text by its content ----

  function cellValue(row, index, numeric) {
    const cell = row.children[index];
    if (!cell) { return numeric ? 0 : ''; }
    if (numeric) {
      const raw = cell.dataset.value;
      const n = raw == null ? parseFloat(cell.textContent.replace(/[^0-9.+-]/g, '')) : parseFloat(raw);
      return isNaN(n) ? 0 : n;
    }
    return cell.textContent.trim().toLowerCase();
  }

  function sortBy(table, th, numeric) {
    const index = Array.prototype.indexOf.call(th.parentNode.children, th);
    // first click: numbers biggest first, text A to Z; each further click flips the order
    const current = th.getAttribute('aria-sort');
    const descending = current ? current === 'ascending' : numeric;
    table.querySelectorAll('thead th').forEach(function (other) { other.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
    const body = table.tBodies[0];
    const rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      const x = cellValue(a, index, numeric);
      const y = cellValue(b, index, numeric);
      const order = x < y ? -1 : x > y ? 1 : 0;
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function makeSortable(root) {
    (root || document).querySelectorAll('table.sortable').forEach(function (table) {
      if (table.dataset.sortable) { return; }
      table.dataset.sortable = 'true';
      table.querySelectorAll('thead th button[data-sort]').forEach(function (button) {
        button.addEventListener('click', function () {
          sortBy(table, button.closest('th'), button.dataset.sort === 'number');
        });
      });
    });
  }

  // ---- charts ----

  function draw(id, config) {
    const canvas = document.getElementById(id);
    if (!canvas) { return; }
    if (charts[id]) { charts[id].destroy(); }
    charts[id] = new Chart(canvas, config);
  }

  function baseOptions(valueFormat, horizontal) {
    const valueAxis = { beginAtZero: true, grid: { color: css('--chart-grid') },
      ticks: { color: css('--muted'), callback: function (v) { return valueFormat(v); } } };
    const labelAxis = { grid: { display: false }, ticks: { color: css('--text'), autoSkip: false,
      callback: function (v) {
        const label = this.getLabelForValue(v);
        return label.length > 40 ? label.slice(0, 39) + '…' : label;
      } } };
    return {
      responsive: true, maintainAspectRatio: false, animation: false,
      indexAxis: horizontal ? 'y' : 'x',
      scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: function (c) {
          return (c.dataset.label ? c.dataset.label + ': ' : '') + valueFormat(horizontal ? c.parsed.x : c.parsed.y);
        } } }
      }
    };
  }

  function render(scan) {
    const withBytes = scan.memoryUsageAvailable;
    const metric = withBytes ? 'bytes' : 'keys';
    const format = withBytes ? bytes : count;
    const colors = palette();

    const patterns = (scan.patterns || []).slice().sort(function (a, b) { return (b[metric] || 0) - (a[metric] || 0); });
    const top = patterns.slice(0, TOP_PATTERNS);
    const rest = patterns.slice(TOP_PATTERNS).reduce(function (sum, p) { return sum + (p[metric] || 0); }, 0);
    const labels = top.map(function (p) { return p.pattern; });
    const values = top.map(function (p) { return p[metric] || 0; });
    if (rest > 0) { labels.push('(the other ' + (patterns.length - TOP_PATTERNS) + ' patterns)'); values.push(rest); }
    draw('pattern-chart', { type: 'bar', options: baseOptions(format, true), data: { labels: labels,
      datasets: [{ label: metric, data: values, backgroundColor: colors[0] }] } });

    const types = Object.keys(scan.byType || {});
    const typeOptions = baseOptions(format, false);
    draw('type-chart', { type: 'bar', options: typeOptions, data: { labels: types,
      datasets: [{ label: metric, data: types.map(function (t) { return scan.byType[t][metric] || 0; }),
        backgroundColor: types.map(function (t, i) { return colors[i % colors.length]; }) }] } });

    const ttl = scan.ttl || [];
    const ttlOptions = baseOptions(count, false);
    ttlOptions.plugins.legend = { display: true, labels: { color: css('--text'), boxWidth: 14 } };
    const datasets = [{ label: 'keys', data: ttl.map(function (b) { return b.keys; }), backgroundColor: colors[1], yAxisID: 'y' }];
    if (withBytes) {
      datasets.push({ label: 'bytes', data: ttl.map(function (b) { return b.bytes; }), backgroundColor: colors[2], yAxisID: 'y2' });
      ttlOptions.scales.y2 = { beginAtZero: true, position: 'right', grid: { display: false },
        ticks: { color: css('--muted'), callback: function (v) { return bytes(v); } } };
      ttlOptions.plugins.tooltip.callbacks.label = function (c) {
        return c.dataset.label + ': ' + (c.dataset.yAxisID === 'y2' ? bytes(c.parsed.y) : count(c.parsed.y));
      };
    }
    draw('ttl-chart', { type: 'bar', options: ttlOptions, data: { labels: ttl.map(function (b) { return b.label; }), datasets: datasets } });
  }

  async function loadCharts(page) {
    const status = document.getElementById('scan-charts-status');
    if (!document.getElementById('pattern-chart') || typeof Chart === 'undefined') { return; }
    try {
      const response = await fetch('/api/scans/' + encodeURIComponent(page.dataset.scan), { headers: { Accept: 'application/json' } });
      if (!response.ok) {
        const problem = await response.json().catch(function () { return {}; });
        throw new Error(problem.detail || ('HTTP ' + response.status));
      }
      render(await response.json());
      if (status) { status.textContent = ''; status.hidden = true; }
    } catch (error) {
      if (status) { status.textContent = 'Could not load the charts: ' + error.message; }
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    makeSortable(document);
    const page = document.querySelector('main[data-scan]');
    if (page) { loadCharts(page); }
  });
  document.addEventListener('htmx:afterSettle', function (event) { makeSortable(event.target); });

  window.memdoctor = Object.assign(window.memdoctor || {}, { scanCharts: charts });
})();
