// Incident page: the captured window's charts (charts.js) from /api/incidents/{id}, with the capture time and every
// note as a vertical marker; markers are redrawn when a note is added (the note form answers with HX-Trigger).
// Also: the writer's time zone for notes typed as "14:02", and the "redact key names" switch of the downloads.
(function () {
  'use strict';

  function zone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (e) { return ''; }
  }

  function fillZones(root) {
    (root || document).querySelectorAll('input.zone-field').forEach(function (input) { input.value = zone(); });
  }

  function markers(incident) {
    const list = [{ at: Date.parse(incident.capturedAt), label: 'capture', kind: 'capture' }];
    incident.notes.forEach(function (note, i) {
      list.push({ at: Date.parse(note.at), label: String(i + 1), kind: 'note' });
    });
    return list;
  }

  async function load(root) {
    const status = document.getElementById('charts-status');
    try {
      const response = await fetch('/api/incidents/' + encodeURIComponent(root.dataset.incident),
        { headers: { Accept: 'application/json' } });
      if (!response.ok) {
        const problem = await response.json().catch(function () { return {}; });
        throw new Error(problem.detail || ('HTTP ' + response.status));
      }
      const incident = await response.json();
      const points = incident.capture.samples;
      window.memdoctor.renderCharts(points, Date.parse(incident.windowFrom), Date.parse(incident.windowTo),
        markers(incident));
      if (status) {
        status.textContent = points.length
          ? points.length + ' samples captured with the incident, from the window before it.'
          : 'No sample was recorded in the window before the capture.';
      }
    } catch (error) {
      if (status) { status.textContent = 'Could not load the captured history: ' + error.message; }
    }
  }

  function redactLinks(on) {
    document.querySelectorAll('.downloads a.download').forEach(function (a) {
      const url = new URL(a.getAttribute('href'), window.location.origin);
      if (on) { url.searchParams.set('redactKeys', 'true'); } else { url.searchParams.delete('redactKeys'); }
      a.setAttribute('href', url.pathname + url.search);
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    fillZones(document);
    const redact = document.getElementById('redact-keys');
    if (redact) { redact.addEventListener('change', function () { redactLinks(redact.checked); }); }
    const root = document.getElementById('incident-charts');
    if (!root || typeof Chart === 'undefined' || !window.memdoctor || !window.memdoctor.renderCharts) { return; }
    load(root);
    document.body.addEventListener('incident-notes-changed', function () { load(root); });
  });
  document.addEventListener('htmx:afterSettle', function () { fillZones(document); });
})();
