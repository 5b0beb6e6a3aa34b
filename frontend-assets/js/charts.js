// Instance page charts: memory, where used_memory goes (data or overhead), fragmentation and key churn over the chosen range, read from the JSON API.
// Failed samples are null points, and spanGaps stops lines across longer silences, so outages are visible gaps.
// BGSAVE / AOF rewrite periods (in progress, or a fork between two samples) are shaded on every chart.
(function () {
  'use strict';

  // the page's range links carry each range's length (data-millis), from the server's one list (ChartRange)
  const RANGES = {};
  const MAX_POINTS = 1000;
  // the metrics the charts and the persistence shading read: the API sends only these (59 otherwise)
  const FIELDS = ['usedMemory', 'usedMemoryRss', 'usedMemoryDataset', 'maxmemory', 'memFragmentationRatio',
    'allocatorFragRatio', 'evictedKeys', 'expiredKeys', 'rdbBgsaveInProgress', 'aofRewriteInProgress', 'totalForks',
    'usedMemoryOverhead', 'usedMemoryStartup', 'memClientsNormal', 'memClientsSlaves', 'memReplicationBacklog',
    'memAofBuffer', 'usedMemoryScripts', 'memClusterLinks', 'memOverheadDbHashtableRehashing', 'redisVersion',
    'valkeyVersion'];
  // used_memory = dataset + overhead; the overhead's parts INFO names, stacked so "data or overhead" shows at a
  // glance. What INFO does not itemise (the keyspace's own hash tables, mostly) is the "keys' tables & other" band.
  const PARTS = [
    { field: 'usedMemoryDataset', label: 'dataset', color: '--chart-dataset' },
    { field: 'memClientsNormal', label: 'client buffers', color: '--chart-clients' },
    { field: 'memClientsSlaves', label: 'replica buffers', color: '--chart-replicas' },
    { field: 'memReplicationBacklog', label: 'replication backlog', color: '--chart-backlog' },
    { field: 'memAofBuffer', label: 'AOF buffer', color: '--chart-aof' },
    { field: 'usedMemoryScripts', label: 'script cache', color: '--chart-scripts' },
    { field: 'memClusterLinks', label: 'cluster links', color: '--chart-cluster' },
    { field: 'memOverheadDbHashtableRehashing', label: 'rehashing', color: '--chart-rehash' },
    { field: 'usedMemoryStartup', label: 'startup', color: '--chart-startup' }
  ];
  const charts = {};
  let state = null;
  let loading = false;

  function css(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function bytes(value) {
    if (value == null) { return '—'; }
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let v = Math.abs(value);
    let i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    const shown = i === 0 ? v.toFixed(0) : v >= 100 ? v.toFixed(0) : v.toFixed(1);
    return (value < 0 ? '-' : '') + shown + ' ' + units[i];
  }

  function timeLabel(ms, spanMs) {
    const options = spanMs <= 10 * 60e3 ? { hour: '2-digit', minute: '2-digit', second: '2-digit' }
      : spanMs <= 86400e3
      ? { hour: '2-digit', minute: '2-digit' }
      : { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' };
    return new Intl.DateTimeFormat(undefined, options).format(new Date(ms));
  }

  function tooltipTitle(items) {
    if (!items.length) { return ''; }
    const at = new Date(items[0].parsed.x);
    return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' }).format(at)
      + '  (' + at.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') + ')';
  }

  /** Periods to shade: a fork ran at a sample, or one happened between two samples. */
  function persistencePeriods(points) {
    const periods = [];
    for (let i = 0; i < points.length; i++) {
      const p = points[i];
      if (p.status !== 'OK') { continue; }
      const prev = i > 0 && points[i - 1].status === 'OK' ? points[i - 1] : null;
      const running = p.rdbBgsaveInProgress === 1 || p.aofRewriteInProgress === 1;
      const forked = prev && p.totalForks != null && prev.totalForks != null && p.totalForks > prev.totalForks;
      if (running || forked) {
        const start = prev ? Date.parse(prev.timestamp) : Date.parse(p.timestamp);
        const end = Date.parse(p.timestamp);
        const last = periods[periods.length - 1];
        if (last && start <= last.end) { last.end = Math.max(last.end, end); } else { periods.push({ start: start, end: end }); }
      }
    }
    return periods;
  }

  const shadePlugin = {
    id: 'persistenceShade',
    beforeDatasetsDraw: function (chart, args, options) {
      const periods = options.periods || [];
      if (!periods.length) { return; }
      const x = chart.scales.x;
      const area = chart.chartArea;
      const ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = css('--chart-shade');
      periods.forEach(function (p) {
        const left = Math.max(x.getPixelForValue(p.start), area.left);
        const right = Math.min(x.getPixelForValue(p.end), area.right);
        ctx.fillRect(left, area.top, Math.max(right - left, 2), area.bottom - area.top);
      });
      ctx.restore();
    }
  };

  /**
   * Vertical markers: a line and a short label on top; solid for an incident's capture and a cluster's failover,
   * dashed for notes and server changes. The cluster page draws its failovers with it too (window.memdoctor).
   */
  const markerPlugin = {
    id: 'incidentMarkers',
    afterDatasetsDraw: function (chart, args, options) {
      const markers = options.list || [];
      if (!markers.length) { return; }
      const x = chart.scales.x;
      const area = chart.chartArea;
      const ctx = chart.ctx;
      const inset = options.inset || 20;
      ctx.save();
      ctx.font = '600 11px system-ui, sans-serif';
      ctx.textAlign = 'center';
      markers.forEach(function (m) {
        const px = x.getPixelForValue(m.at);
        if (px < area.left || px > area.right) { return; }
        const solid = m.kind === 'capture' || m.kind === 'failover';
        const color = css(solid ? '--chart-capture' : '--chart-note');
        ctx.strokeStyle = color;
        ctx.fillStyle = color;
        ctx.lineWidth = 1.5;
        ctx.setLineDash(solid ? [] : [4, 3]);
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        ctx.fillText(m.label, Math.min(Math.max(px, area.left + inset), area.right - inset), area.top + 10);
      });
      ctx.restore();
    }
  };

  const TICK_STEPS = [10e3, 15e3, 30e3, 60e3, 2 * 60e3, 5 * 60e3, 10 * 60e3, 15 * 60e3, 30 * 60e3, 3600e3, 2 * 3600e3, 3 * 3600e3,
    6 * 3600e3, 12 * 3600e3, 86400e3, 2 * 86400e3, 7 * 86400e3];

  /** Ticks on round local times (every 10 min, every hour, every midnight...), about six across the axis. */
  function timeTicks(scale) {
    const span = scale.max - scale.min;
    const step = TICK_STEPS.find(function (s) { return span / s <= 7; }) || TICK_STEPS[TICK_STEPS.length - 1];
    const offset = -new Date(scale.min).getTimezoneOffset() * 60e3;
    const ticks = [];
    for (let v = Math.ceil((scale.min + offset) / step) * step - offset; v <= scale.max; v += step) {
      ticks.push({ value: v });
    }
    scale.ticks = ticks;
  }

  /** The gap beyond which lines are not joined: three typical sample spacings. */
  function gapThreshold(xs) {
    if (xs.length < 3) { return 60e3; }
    const deltas = [];
    for (let i = 1; i < xs.length; i++) { deltas.push(xs[i] - xs[i - 1]); }
    deltas.sort(function (a, b) { return a - b; });
    return Math.max(deltas[Math.floor(deltas.length / 2)] * 3, 1000);
  }

  function series(points, field) {
    return points.map(function (p) {
      const v = p.status === 'OK' ? p[field] : null;
      return { x: Date.parse(p.timestamp), y: v == null ? null : v };
    });
  }

  /** Counter increase between consecutive OK points; a restart (counter going down) counts from zero. */
  function deltas(points, field) {
    const out = [];
    let prev = null;
    points.forEach(function (p) {
      const x = Date.parse(p.timestamp);
      if (p.status !== 'OK' || p[field] == null) { out.push({ x: x, y: null }); prev = null; return; }
      if (prev != null) { out.push({ x: x, y: p[field] >= prev ? p[field] - prev : p[field] }); }
      prev = p[field];
    });
    return out;
  }

  /** The stacked bands of used_memory: each named part, then what the overhead holds beyond them. */
  function breakdown(points) {
    const xs = points.map(function (p) { return Date.parse(p.timestamp); });
    const value = function (p, field) { return p.status === 'OK' && p[field] != null ? p[field] : null; };
    const bands = PARTS.filter(function (part) {
      // a part a server never reports (cluster links on 6.x, rehashing before 7.4) is left out, not drawn as 0
      return points.some(function (p) { return value(p, part.field) != null; });
    }).map(function (part) {
      return { label: part.label, color: css(part.color), data: points.map(function (p, i) {
        return { x: xs[i], y: value(p, part.field) };
      }) };
    });
    const other = points.map(function (p, i) {
      const overhead = value(p, 'usedMemoryOverhead');
      if (overhead == null) { return { x: xs[i], y: null }; }
      let named = 0;
      PARTS.forEach(function (part) { if (part.field !== 'usedMemoryDataset') { named += value(p, part.field) || 0; } });
      return { x: xs[i], y: Math.max(0, overhead - named) };
    });
    bands.push({ label: "keys' tables & other", color: css('--chart-other'), data: other });
    return bands.map(function (band, i) {
      return { label: band.label, data: band.data, borderColor: band.color, backgroundColor: band.color + '99',
        fill: i === 0 ? 'origin' : '-1', borderWidth: 1, pointRadius: 0 };
    });
  }

  function baseOptions(spanMs, from, to, gap, yTicks, periods, markers) {
    return {
      responsive: true, maintainAspectRatio: false, animation: false, normalized: true, parsing: false,
      spanGaps: gap,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      elements: { point: { radius: 0, hitRadius: 6 }, line: { borderWidth: 2, tension: 0 } },
      scales: {
        x: { type: 'linear', min: from, max: to, offset: false, grid: { color: css('--chart-grid') },
          afterBuildTicks: timeTicks,
          ticks: { color: css('--muted'), maxRotation: 0, autoSkipPadding: 18,
            callback: function (v) { return timeLabel(v, spanMs); } } },
        // one y-axis width on every chart, so the three time axes line up
        y: { beginAtZero: false, grid: { color: css('--chart-grid') }, ticks: { color: css('--muted'), callback: yTicks },
          afterFit: function (scale) { scale.width = 72; } }
      },
      plugins: {
        legend: { labels: { color: css('--text'), boxWidth: 14 } },
        tooltip: { callbacks: { title: tooltipTitle } },
        persistenceShade: { periods: periods },
        incidentMarkers: { list: markers || [] }
      }
    };
  }

  /** Lines without dots, except for a series too short to draw a line: one or two samples show as dots. */
  function line(label, data, color, extra) {
    const drawn = data.filter(function (d) { return d.y != null; }).length;
    return Object.assign({ label: label, data: data, borderColor: color, backgroundColor: color,
      pointRadius: drawn < 3 ? 3 : 0 }, extra || {});
  }

  function draw(id, config) {
    const canvas = document.getElementById(id);
    if (!canvas) { return; }
    if (charts[id]) { charts[id].destroy(); }
    config.plugins = [shadePlugin, markerPlugin];
    charts[id] = new Chart(canvas, config);
    // forecast.js draws the projection to the ceiling on the memory chart
    canvas.dispatchEvent(new CustomEvent('chart-drawn', { bubbles: true, detail: { id: id, chart: charts[id] } }));
  }

  /** Where the axis starts: the range start, or the first sample when the history is younger than the range. */
  function axisStart(points, from, to) {
    if (!points.length) { return from; }
    const first = Date.parse(points[0].timestamp);
    if (first - from < (to - from) * 0.1) { return from; }
    return Math.max(from, first - (to - first) * 0.05);
  }

  /** Draws the three charts; markers are [{at: epoch ms, label, kind: 'capture' | 'note' | 'upgrade'}]. */
  function render(points, rangeFrom, rangeTo, markers) {
    let from = axisStart(points, rangeFrom, rangeTo);
    let to = rangeTo;
    if (markers && markers.length) {
      // markers (notes written while working) widen the axis a little, up to half the range after its end
      const ats = markers.map(function (m) { return m.at; });
      const pad = (to - from) * 0.02;
      from = Math.max(rangeFrom, Math.min(from, Math.min.apply(null, ats) - pad));
      to = Math.min(rangeTo + (rangeTo - rangeFrom) * 0.5, Math.max(to, Math.max.apply(null, ats) + pad));
    }
    const spanMs = to - from;
    const xs = points.map(function (p) { return Date.parse(p.timestamp); });
    const gap = gapThreshold(xs);
    const periods = persistencePeriods(points);
    const byteTicks = function (v) { return bytes(v); };
    const byteTooltip = { callbacks: { title: tooltipTitle, label: function (c) { return c.dataset.label + ': ' + bytes(c.parsed.y); } } };

    const memory = [
      line('used_memory', series(points, 'usedMemory'), css('--chart-used')),
      line('used_memory_rss', series(points, 'usedMemoryRss'), css('--chart-rss')),
      line('used_memory_dataset', series(points, 'usedMemoryDataset'), css('--chart-dataset'))
    ];
    const hasMax = points.some(function (p) { return p.maxmemory > 0; });
    if (hasMax) {
      memory.push(line('maxmemory', series(points, 'maxmemory').map(function (d) { return { x: d.x, y: d.y > 0 ? d.y : null }; }),
        css('--chart-max'), { borderDash: [6, 4], borderWidth: 1.5 }));
    }
    // the limit declared for the instance's container (Redis cannot see it): today's, drawn across the range
    const root = document.getElementById('charts');
    const limit = root ? Number(root.dataset.memoryLimit) : 0;
    if (limit > 0) {
      memory.push(line('memory limit (declared)', [{ x: from, y: limit }, { x: to, y: limit }], css('--chart-limit'),
        { borderDash: [10, 3, 2, 3], borderWidth: 1.5, pointRadius: 0, spanGaps: true }));
    }
    const memOptions = baseOptions(spanMs, from, to, gap, byteTicks, periods, markers);
    memOptions.plugins.tooltip = byteTooltip;
    draw('memory-chart', { type: 'line', data: { datasets: memory }, options: memOptions });

    const splitOptions = baseOptions(spanMs, from, to, gap, byteTicks, periods, markers);
    splitOptions.scales.y.stacked = true;
    splitOptions.scales.y.beginAtZero = true;
    splitOptions.plugins.tooltip = byteTooltip;
    draw('breakdown-chart', { type: 'line', data: { datasets: breakdown(points) }, options: splitOptions });

    const fragOptions = baseOptions(spanMs, from, to, gap, function (v) { return Number(v).toFixed(2); }, periods, markers);
    draw('fragmentation-chart', { type: 'line', options: fragOptions, data: { datasets: [
      line('mem_fragmentation_ratio', series(points, 'memFragmentationRatio'), css('--chart-frag')),
      line('allocator_frag_ratio', series(points, 'allocatorFragRatio'), css('--chart-alloc'), { borderWidth: 1.5 })
    ] } });

    const keyOptions = baseOptions(spanMs, from, to, gap, function (v) { return Number.isInteger(v) ? v : ''; }, periods, markers);
    keyOptions.scales.y.beginAtZero = true;
    draw('keys-chart', { type: 'bar', options: keyOptions, data: { datasets: [
      { label: 'evicted', data: deltas(points, 'evictedKeys'), backgroundColor: css('--chart-evicted'), barPercentage: 1, categoryPercentage: 1 },
      { label: 'expired', data: deltas(points, 'expiredKeys'), backgroundColor: css('--chart-expired'), barPercentage: 1, categoryPercentage: 1 }
    ] } });
  }

  function describe(points, response, rangeFrom) {
    const ok = points.filter(function (p) { return p.status === 'OK'; }).length;
    const failed = points.length - ok;
    const bucket = response.headers.get('X-Downsampled-Bucket');
    const total = response.headers.get('X-Samples-In-Range');
    if (!points.length) { return 'No samples in this range yet. The first ones arrive within one sampling interval.'; }
    let text = total + (Number(total) === 1 ? ' sample in range' : ' samples in range');
    if (bucket) { text += ', shown as min/max per ' + bucket.replace(/^PT/, '').toLowerCase() + ' so spikes stay visible'; }
    if (failed) { text += '; ' + failed + ' point(s) where the instance did not answer (gaps)'; }
    if (axisStart(points, rangeFrom, Date.now()) > rangeFrom) {
      text += '. History starts at the first sample, ' + new Intl.DateTimeFormat(undefined, { timeStyle: 'short' })
        .format(new Date(points[0].timestamp));
    }
    return text + '.';
  }

  /**
   * A marker where the server changed between two answered samples (an upgrade or a downgrade): Redis 7.4 counts the
   * Lua VM in used_memory, so a step there is not growth. Valkey names itself in valkey_version.
   */
  function versionChanges(points) {
    const markers = [];
    let before = null;
    points.forEach(function (p) {
      if (p.status !== 'OK' || !p.redisVersion) { return; }
      const server = p.valkeyVersion ? 'Valkey ' + p.valkeyVersion : 'Redis ' + p.redisVersion;
      if (before && server !== before) {
        markers.push({ at: Date.parse(p.timestamp), label: before + ' → ' + server, kind: 'upgrade' });
      }
      before = server;
    });
    return markers;
  }

  async function load() {
    if (!state || loading) { return; }
    loading = true;
    const status = document.getElementById('charts-status');
    const to = Date.now();
    const from = to - RANGES[state.range];
    const url = '/api/instances/' + encodeURIComponent(state.id) + '/snapshots?from=' + new Date(from).toISOString()
      + '&to=' + new Date(to).toISOString() + '&maxPoints=' + MAX_POINTS + '&fields=' + FIELDS.join(',');
    try {
      const response = await fetch(url, { headers: { Accept: 'application/json' } });
      if (!response.ok) {
        const problem = await response.json().catch(function () { return {}; });
        throw new Error(problem.detail || ('HTTP ' + response.status));
      }
      const points = await response.json();
      const upgrades = versionChanges(points);
      render(points, from, to, upgrades);
      if (status) {
        status.textContent = describe(points, response, from) + upgrades.map(function (m) {
          return ' Server changed: ' + m.label + '.';
        }).join('');
      }
      state.loadedAt = Date.now();
    } catch (error) {
      if (status) { status.textContent = 'Could not load the history: ' + error.message; }
    } finally {
      loading = false;
      if (!state.announced) {
        // the panels (diagnosis, checks) wait for this, so the charts get the server first
        state.announced = true;
        document.body.dispatchEvent(new CustomEvent('charts-drawn'));
      }
    }
  }

  function selectRange(range) {
    if (!RANGES[range] || !state) { return; }
    state.range = range;
    document.querySelectorAll('.ranges a').forEach(function (a) {
      const active = a.dataset.range === range;
      a.classList.toggle('active', active);
      a.setAttribute('aria-current', active ? 'true' : 'false');
    });
    const url = new URL(window.location.href);
    url.searchParams.set('range', range);
    window.history.replaceState(null, '', url);
    load();
  }

  /** Live update: each summary refresh reloads short ranges; long ranges reload at most once a minute. */
  function onSummaryRefresh(event) {
    if (!state || !event.detail || !event.detail.target || event.detail.target.id !== 'summary') { return; }
    const stale = Date.now() - (state.loadedAt || 0);
    if (RANGES[state.range] <= 86400e3 || stale > 60e3) { load(); }
  }

  document.addEventListener('DOMContentLoaded', function () {
    const root = document.getElementById('charts');
    if (!root || typeof Chart === 'undefined') { return; }
    root.querySelectorAll('.ranges a').forEach(function (a) { RANGES[a.dataset.range] = Number(a.dataset.millis); });
    state = { id: root.dataset.instance, range: root.dataset.range || '1h', loadedAt: 0 };
    root.querySelectorAll('.ranges a').forEach(function (a) {
      a.addEventListener('click', function (event) { event.preventDefault(); selectRange(a.dataset.range); });
    });
    document.body.addEventListener('htmx:afterSettle', onSummaryRefresh);
    load();
  });

  window.memdoctor = Object.assign(window.memdoctor || {}, { charts: charts, reloadCharts: load, renderCharts: render,
    markerPlugin: markerPlugin, bytes: bytes });
})();
