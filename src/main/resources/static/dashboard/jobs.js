// The jobs table: polls GET /api/jobs about once a second, with the state and type filters as
// query parameters, and updates rows in place (keyed by job id) so focus, selection and the
// Cancel button under the pointer survive every refresh.

import { getJson, request, serverNow } from './api.js';
import { TERMINAL_STATES, byId, el, every, formatDuration, setText, shortId, showError, stateBadge, timeElement } from './ui.js';

const POLL_MS = 1000;
const LIST_LIMIT = 100;

/** POST /api/jobs/{id}/cancel; resolves to the job as the server answered. */
export function cancelJob(id) {
  return getJson(`api/jobs/${encodeURIComponent(id)}/cancel`, { method: 'POST' });
}

/** POST /api/jobs/{id}/retry: runs a FAILED, TIMED_OUT or CANCELLED job once more (dead-letter requeue). */
export function retryJob(id) {
  return getJson(`api/jobs/${encodeURIComponent(id)}/retry`, { method: 'POST' });
}

/** DELETE /api/jobs/{id}: forgets a terminal job. */
/** POST /api/jobs/{id}/callback/redeliver; resolves to the job, its callback PENDING again. */
export function redeliverCallback(id) {
  return getJson(`api/jobs/${encodeURIComponent(id)}/callback/redeliver`, { method: 'POST' });
}

export function forgetJob(id) {
  return request(`api/jobs/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** Whether a job has a known end: then progress is a fraction, otherwise a count (a ticker). */
function isBounded(progress) {
  return progress && progress.total !== null && progress.total !== undefined;
}

/**
 * Fills a progress cell: a bar for bounded work, a running count (and an indeterminate bar while
 * it runs) for unbounded work. {@code data-completed} lets tests read the number directly.
 */
export function renderProgress(cell, job, label) {
  const progress = job.progress;
  const completed = progress?.completed ?? 0;
  const key = `${job.state}|${completed}|${progress?.total}`;
  if (cell.dataset.key === key) {
    return;
  }
  cell.dataset.key = key;
  cell.dataset.completed = String(completed);
  const bar = el('progress', { attrs: { 'aria-label': label } });
  let text;
  if (isBounded(progress)) {
    bar.max = Math.max(progress.total, 1);
    bar.value = Math.min(completed, bar.max);
    text = `${completed} / ${progress.total}`;
  } else {
    text = `${completed} done`;
  }
  const showBar = isBounded(progress) || !TERMINAL_STATES.has(job.state);
  cell.replaceChildren(...(showBar ? [bar] : []), el('span', { className: 'progress-text' }, text));
}

/** How long the job ran (or has been running), measured on the server's clock. */
export function elapsedMs(job) {
  if (job.state === 'SCHEDULED') {
    return null;
  }
  const start = Date.parse(job.startedAt ?? job.createdAt);
  if (Number.isNaN(start)) {
    return null;
  }
  const end = job.finishedAt ? Date.parse(job.finishedAt) : serverNow();
  return end - start;
}

/** The state badge; a SCHEDULED job also shows when it is due (nextAttemptAt). */
function stateWithDueTime(job) {
  const badge = stateBadge(job.state);
  if (job.state !== 'SCHEDULED' || !job.nextAttemptAt) {
    return [badge];
  }
  return [badge, el('span', { className: 'due muted' }, ' due ', timeElement(job.nextAttemptAt))];
}

export function jobLabel(job) {
  return job.name ? `${job.name} (${shortId(job.id)})` : `${job.type} ${shortId(job.id)}`;
}

export class JobsTable {
  constructor({ onSelect, onJob }) {
    this.onSelect = onSelect;
    this.onJob = onJob;
    this.body = byId('jobs-body');
    this.status = byId('jobs-status');
    this.error = byId('jobs-error');
    this.actionError = byId('jobs-action-error');
    this.empty = byId('jobs-empty');
    this.stateFilter = byId('filter-state');
    this.typeFilter = byId('filter-type');
    this.rows = new Map();
    this.selectedId = null;
    this.knownTypes = new Set();
    this.stateFilter.addEventListener('change', () => this.refreshNow());
    this.typeFilter.addEventListener('change', () => this.refreshNow());
    byId('jobs-filter').addEventListener('submit', (event) => event.preventDefault());
    this.poller = every(POLL_MS, () => this.refresh());
  }

  refreshNow() {
    this.poller.now();
  }

  /** Offers these types in the type filter (from the documented examples and from seen jobs). */
  addTypes(types) {
    for (const type of types) {
      if (type && !this.knownTypes.has(type)) {
        this.knownTypes.add(type);
        this.typeFilter.append(el('option', { value: type }, type));
      }
    }
  }

  select(id) {
    this.selectedId = id;
    for (const [rowId, row] of this.rows) {
      row.classList.toggle('selected', rowId === id);
      row.querySelector('.open').setAttribute('aria-expanded', String(rowId === id));
    }
  }

  async refresh() {
    const query = new URLSearchParams({ limit: String(LIST_LIMIT) });
    if (this.stateFilter.value) {
      query.set('state', this.stateFilter.value);
    }
    if (this.typeFilter.value) {
      query.set('type', this.typeFilter.value);
    }
    try {
      const { jobs } = await getJson(`api/jobs?${query}`);
      showError(this.error, null);
      this.render(jobs);
      const filtered = this.stateFilter.value || this.typeFilter.value ? ' matching the filters' : '';
      setText(this.status, `${jobs.length} job${jobs.length === 1 ? '' : 's'}${filtered}`
        + `${jobs.length >= LIST_LIMIT ? ` (the newest ${LIST_LIMIT})` : ''} · live, updated every second`);
    } catch (error) {
      setText(this.status, 'Live updates paused; retrying every second.');
      showError(this.error, error);
    }
  }

  render(jobs) {
    const wanted = new Set(jobs.map((job) => job.id));
    for (const [id, row] of this.rows) {
      if (!wanted.has(id)) {
        row.remove();
        this.rows.delete(id);
      }
    }
    // Walk the wanted order; only rows out of place are moved, so a focused button stays put.
    let cursor = this.body.firstElementChild;
    for (const job of jobs) {
      let row = this.rows.get(job.id);
      if (!row) {
        row = this.createRow(job);
        this.rows.set(job.id, row);
      }
      this.updateRow(row, job);
      if (row === cursor) {
        cursor = cursor.nextElementSibling;
      } else {
        this.body.insertBefore(row, cursor);
      }
      this.onJob(job);
    }
    this.addTypes(jobs.map((job) => job.type));
    this.empty.hidden = jobs.length > 0;
  }

  createRow(job) {
    const open = el('button', { type: 'button', className: 'link open', title: job.id },
      shortId(job.id), el('span', { className: 'visually-hidden' }, ': show details'));
    open.setAttribute('aria-expanded', String(job.id === this.selectedId));
    open.addEventListener('click', () => this.onSelect(job.id));
    const row = el('tr', { dataset: { jobId: job.id } },
      el('td', { className: 'id' }, open),
      el('td', { className: 'name' }),
      el('td', { className: 'type' }, job.type),
      el('td', { className: 'state-cell' }),
      el('td', { className: 'progress-cell' }),
      el('td', { className: 'created' }, timeElement(job.createdAt)),
      el('td', { className: 'elapsed' }),
      el('td', { className: 'row-actions' }));
    // The whole row opens the detail for pointer users; keyboard users have the ID button.
    row.addEventListener('click', (event) => {
      if (!event.target.closest('button, a, input, select, textarea')) {
        this.onSelect(job.id);
      }
    });
    row.classList.toggle('selected', job.id === this.selectedId);
    return row;
  }

  updateRow(row, job) {
    const cells = row.cells;
    setText(cells[1], job.name ?? '');
    const stateKey = `${job.state}|${job.nextAttemptAt ?? ''}`;
    if (cells[3].dataset.state !== stateKey) {
      cells[3].dataset.state = stateKey;
      cells[3].replaceChildren(...stateWithDueTime(job));
    }
    renderProgress(cells[4], job, `Progress of ${jobLabel(job)}`);
    setText(cells[6], formatDuration(elapsedMs(job)));
    const terminal = TERMINAL_STATES.has(job.state);
    const actions = cells[7];
    if (actions.dataset.terminal !== String(terminal)) {
      actions.dataset.terminal = String(terminal);
      actions.replaceChildren(terminal ? this.forgetButton(job) : this.cancelButton(job));
    }
  }

  cancelButton(job) {
    const button = el('button', { type: 'button', className: 'danger small' },
      'Cancel', el('span', { className: 'visually-hidden' }, ` job ${jobLabel(job)}`));
    button.addEventListener('click', () => this.act(button, () => cancelJob(job.id)));
    return button;
  }

  forgetButton(job) {
    const button = el('button', { type: 'button', className: 'secondary small' },
      'Forget', el('span', { className: 'visually-hidden' }, ` job ${jobLabel(job)}`));
    button.addEventListener('click', () => this.act(button, () => forgetJob(job.id)));
    return button;
  }

  async act(button, action) {
    button.disabled = true;
    try {
      await action();
      showError(this.actionError, null);
    } catch (error) {
      showError(this.actionError, error);
      button.disabled = false;
    }
    this.refreshNow();
  }
}
