// The forecast on the instance page: a sentence above the charts and, on the memory chart, a dashed line from the
// trend's value now to the ceiling (cut at the chart's edge when the date is far beyond the range shown).
(function () {
  'use strict';

  let forecast = null;
  let fetchedAt = 0;
  let pending = null;

  function text(f) {
    if (!f) { return ''; }
    if (f.status === 'NO_DATA') { return 'Forecast: not enough samples yet.'; }
    if (f.status === 'FULL') { return 'Forecast: used memory is at its ' + f.ceiling + ' ceiling now.'; }
    const rates = f.windows.map(function (w) {
      return w.window + ' trend ' + (w.ratePerHour / 1048576).toFixed(1) + ' MB/h'
        + (w.secondsToFull != null ? ', full in ' + duration(w.secondsToFull) : ', not growing');
    });
    if (f.status === 'TOO_EARLY') {
      return 'Forecast: growing at ' + (f.ratePerHour / 1048576).toFixed(1) + ' MB/h, but seen for only '
        + duration(f.windows[0].seenSeconds) + ': too early to date the ceiling.';
    }
    if (f.status === 'NOT_GROWING') {
      return 'Forecast: not growing' + (f.disagree ? ' (the windows disagree: ' + rates.join('; ') + ')' : '.');
    }
    return 'Forecast: full (' + f.ceiling + ') in ' + duration(f.secondsToFull) + ', '
      + new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(f.fullAt))
      + ' at ' + (f.ratePerHour / 1048576).toFixed(1) + ' MB/h (' + f.window + ' trend, ' + f.confidence
      + ' confidence)' + (f.disagree ? '. The windows disagree: ' + rates.join('; ') + '.' : '.');
  }

  function duration(seconds) {
    const d = Math.floor(seconds / 86400);
    const h = Math.floor(seconds % 86400 / 3600);
    const m = Math.floor(seconds % 3600 / 60);
    if (d > 0) { return d + ' d' + (h ? ' ' + h + ' h' : ''); }
    if (h > 0) { return h + ' h' + (m ? ' ' + m + ' min' : ''); }
    return m > 0 ? m + ' min' : seconds + ' s';
  }

  async function load(id) {
    if (Date.now() - fetchedAt < 10e3 && forecast) { return forecast; }
    if (!pending) {
      pending = fetch('/api/instances/' + encodeURIComponent(id) + '/forecast', { headers: { Accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .catch(function () { return null; })
        .then(function (f) { forecast = f; fetchedAt = Date.now(); pending = null; return f; });
    }
    return pending;
  }

  function project(chart, f) {
    if (!f || f.status !== 'GROWING' || f.fullAt == null) { return; }
    const x = chart.options.scales.x;
    const now = Date.parse(f.computedAt);
    const full = Date.parse(f.fullAt);
    const span = x.max - x.min;
    // the axis stretches by up to half its range to show the projection; beyond, the line stops at the edge
    const end = Math.min(full, Math.max(x.max, now) + span * 0.5);
    const endValue = f.usedBytes + (f.ceilingBytes - f.usedBytes) * (end - now) / (full - now);
    x.max = Math.max(x.max, end);
    chart.data.datasets.push({ label: 'forecast (' + f.window + ' trend)', data: [{ x: now, y: f.usedBytes }, { x: end, y: endValue }],
      borderColor: getComputedStyle(document.documentElement).getPropertyValue('--chart-max').trim() || '#c0392b',
      borderDash: [2, 4], borderWidth: 2, pointRadius: 0, spanGaps: true });
    chart.update('none');
  }

  document.addEventListener('chart-drawn', async function (event) {
    if (!event.detail || event.detail.id !== 'memory-chart') { return; }
    const root = document.getElementById('charts');
    if (!root) { return; }
    const chart = event.detail.chart;
    const f = await load(root.dataset.instance);
    const line = document.getElementById('forecast');
    if (line) { line.textContent = text(f); }
    if (chart && chart.canvas && chart.canvas.isConnected) { project(chart, f); }
  });
})();
