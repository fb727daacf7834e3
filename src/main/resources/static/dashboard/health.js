// Health at a glance: overall and job-registry health from /actuator/health, the event-loop lag
// meters from /actuator/metrics, and Resilience4j instances from /api/policies. Each source is
// optional: absent (404), refused or failing, its cell says so and the rest carries on.

import { getJson, request } from './api.js';
import { hasPath } from './openapi.js';
import { byId, el, every, formatDuration, setText } from './ui.js';

const POLL_MS = 3000;
const LAG_TIMER = 'asyncpatterns.eventloop.lag';
const MAX_POLICY_COLUMNS = 12;
const MAX_SUMMARY_ITEMS = 4;

export class HealthPanel {
  constructor() {
    this.service = byId('health-service');
    this.registry = byId('health-registry');
    this.active = byId('health-active');
    this.lag = byId('health-lag');
    this.policies = byId('health-policies');
    this.policyDetails = byId('policies-details');
    this.policyTables = byId('policies-tables');
    this.updated = byId('health-updated');
    this.lagExposed = false;
    this.lagTotals = null;
    this.policiesKey = null;
    this.policiesAbsent = false;
    this.poller = every(POLL_MS, () => this.refresh());
  }

  refreshNow() {
    this.poller.now();
  }

  async refresh() {
    await Promise.all([this.refreshHealth(), this.refreshLag(), this.refreshPolicies()]);
    setText(this.updated, `Updated ${new Date().toLocaleTimeString([], { hour12: false })}, every ${POLL_MS / 1000} s.`);
  }

  async refreshHealth() {
    try {
      // A DOWN or OUT_OF_SERVICE service answers 503 with the same health document.
      const response = await request('actuator/health', { okStatuses: [503] });
      const health = await response.json();
      showStatus(this.service, health.status);
      const registry = health.components?.jobRegistry;
      if (!registry) {
        showNote(this.registry, 'not reported');
        showNote(this.active, 'not reported');
        return;
      }
      showStatus(this.registry, registry.status, registry.status === 'OUT_OF_SERVICE' ? ' (draining: no new jobs)' : '');
      const { active, maxActive } = registry.details ?? {};
      if (active === undefined) {
        showNote(this.active, 'details hidden');
      } else {
        this.active.replaceChildren(
          el('meter', { min: 0, max: maxActive || 1, value: active, attrs: { 'aria-label': 'Active jobs against the maximum' } }),
          ` ${active} of ${maxActive ?? '?'}`);
      }
    } catch (error) {
      for (const cell of [this.service, this.registry, this.active]) {
        showNote(cell, unavailable(error));
      }
    }
  }

  async refreshLag() {
    try {
      if (!this.lagExposed) {
        // Asking for an unregistered meter answers 404 (a console error in browsers): list first.
        const { names } = await getJson('actuator/metrics');
        this.lagExposed = names.includes(LAG_TIMER);
        if (!this.lagExposed) {
          showNote(this.lag, 'not measured by this server');
          return;
        }
      }
      // The endpoint sums COUNT and TOTAL_TIME over every loop and keeps the largest MAX, so the
      // change since the last poll is the mean lag of all loops over the last few seconds.
      const timer = await getJson(`actuator/metrics/${LAG_TIMER}`);
      const count = measurement(timer, 'COUNT') ?? 0;
      const total = measurement(timer, 'TOTAL_TIME') ?? 0;
      const max = measurement(timer, 'MAX');
      const previous = this.lagTotals ?? { count: 0, total: 0 };
      const mean = count > previous.count ? (total - previous.total) / (count - previous.count) : null;
      this.lagTotals = { count, total };
      const parts = [];
      if (mean !== null) {
        parts.push(el('span', { className: `status ${lagClass(mean)}` }, `mean ${seconds(mean)}`));
      }
      if (max !== null) {
        parts.push(el('span', { className: 'muted' }, `max ${seconds(max)} (recent)`));
      }
      this.lag.replaceChildren(...(parts.length > 0 ? parts : [el('span', { className: 'muted' }, 'no samples yet')]));
    } catch (error) {
      this.lagExposed = false;
      showNote(this.lag, unavailable(error));
    }
  }

  async refreshPolicies() {
    if (this.policiesAbsent || await hasPath('/api/policies') === false) {
      showNote(this.policies, 'none on this server');
      return;
    }
    try {
      const groups = policyGroups(await getJson('api/policies'));
      const rows = groups.flatMap((group) => group.rows);
      if (rows.length === 0) {
        showNote(this.policies, 'none configured');
        this.policyDetails.hidden = true;
        return;
      }
      this.policies.replaceChildren(...groups.map(summaryLine).filter(Boolean));
      this.renderPolicyTables(groups);
    } catch (error) {
      // Without an OpenAPI document the first 404 is how absence shows; ask no more.
      this.policiesAbsent = error.status === 404;
      showNote(this.policies, unavailable(error));
    }
  }

  renderPolicyTables(groups) {
    const key = JSON.stringify(groups);
    if (key === this.policiesKey) {
      return;
    }
    this.policiesKey = key;
    this.policyDetails.hidden = false;
    this.policyTables.replaceChildren(...groups.filter((group) => group.rows.length > 0).map((group) => {
      const columns = [...new Set(group.rows.flatMap(Object.keys))].slice(0, MAX_POLICY_COLUMNS);
      return el('div', { className: 'table-scroll' }, el('table', { className: 'policies' },
        el('caption', {}, group.title),
        el('thead', {}, el('tr', {}, ...columns.map((column) => el('th', { scope: 'col', title: column }, humanize(column))))),
        el('tbody', {}, ...group.rows.map((row) => el('tr', {}, ...columns.map((column) =>
          el('td', { className: stateClass(row[column]) }, formatValue(row[column]))))))));
    }));
  }
}

function measurement(meter, statistic) {
  const found = meter?.measurements?.find((entry) => entry.statistic === statistic);
  return found ? found.value : null;
}

function seconds(value) {
  const ms = value * 1000;
  return ms < 10 ? `${ms.toFixed(2)} ms` : formatDuration(ms);
}

/** A loop that answers within 10 ms is healthy; past 50 ms on average, callers feel it. */
function lagClass(meanSeconds) {
  return meanSeconds > 0.05 ? 'status-bad' : meanSeconds > 0.01 ? 'status-warn' : 'status-ok';
}

function showStatus(cell, status, suffix = '') {
  const kind = status === 'UP' ? 'status-ok' : status === 'OUT_OF_SERVICE' || status === 'UNKNOWN' ? 'status-warn' : 'status-bad';
  cell.replaceChildren(el('span', { className: `status ${kind}` }, status ?? 'UNKNOWN'), suffix);
}

function showNote(cell, text) {
  cell.replaceChildren(el('span', { className: 'muted' }, text));
}

function unavailable(error) {
  if (error.status === 404) {
    return 'not exposed';
  }
  if (error.status === 401 || error.status === 403) {
    return `needs a key with access (${error.status})`;
  }
  return `unavailable: ${error.problem?.title ?? error.message}`;
}

/**
 * The instances in whatever shape /api/policies lists them: an array, or groups (circuit
 * breakers, rate limiters, …) each an array of instances or a map from name to instance.
 * Nested objects are flattened one level ("metrics.failureRate").
 */
export function policyGroups(data) {
  if (Array.isArray(data)) {
    return [{ title: 'Instances', rows: data.map(flatten) }];
  }
  const groups = [];
  for (const [key, value] of Object.entries(data ?? {})) {
    if (Array.isArray(value)) {
      groups.push({ title: humanize(key), rows: value.filter(isObject).map(flatten) });
    } else if (isObject(value) && Object.values(value).every(isObject)) {
      groups.push({ title: humanize(key), rows: Object.entries(value).map(([name, instance]) => ({ name, ...flatten(instance) })) });
    }
  }
  return groups;
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function flatten(instance) {
  const row = {};
  for (const [key, value] of Object.entries(instance)) {
    if (isObject(value)) {
      for (const [inner, innerValue] of Object.entries(value)) {
        if (!isObject(innerValue)) {
          row[`${key}.${inner}`] = innerValue;
        }
      }
    } else {
      row[key] = value;
    }
  }
  return row;
}

/**
 * One line per group whose instances have a headline value (a circuit state, permits left):
 * "Circuit breakers: default CLOSED, backend OPEN". Groups with neither (retries) stay in the tables.
 */
function summaryLine(group) {
  const items = group.rows.map((row) => ({ name: row.name ?? '?', value: headline(row) })).filter((item) => item.value !== null);
  if (items.length === 0) {
    return null;
  }
  const shown = items.slice(0, MAX_SUMMARY_ITEMS);
  const line = el('span', { className: 'policy-line' }, `${group.title}: `);
  shown.forEach((item, index) => line.append(index > 0 ? ', ' : '', `${item.name} `,
    el('span', { className: stateClass(item.value) }, item.value)));
  if (items.length > shown.length) {
    line.append(`, +${items.length - shown.length} more`);
  }
  return line;
}

/** The one value that says most about an instance: its circuit state, else what it has free; null if neither. */
function headline(row) {
  const keys = Object.keys(row);
  const state = keys.find((key) => /(^|\.)state$/i.test(key));
  if (state) {
    return String(row[state]);
  }
  // Rate limiters report availablePermissions, bulkheads availableConcurrentCalls.
  const available = keys.find((key) => /^available/i.test(key));
  if (!available) {
    return null;
  }
  return `${row[available]} ${/permi/i.test(available) ? 'permits' : 'free'}`;
}

/** availablePermissions → "Available permissions", metrics.failureRate → "Metrics failure rate". */
function humanize(key) {
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').replaceAll('.', ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function stateClass(value) {
  return { CLOSED: 'status-ok', HALF_OPEN: 'status-warn', OPEN: 'status-bad', FORCED_OPEN: 'status-bad' }[value] ?? '';
}

function formatValue(value) {
  if (value === null || value === undefined) {
    return '—';
  }
  return Array.isArray(value) ? value.map(String).join(', ') : String(value);
}
