// The Schedules panel: create a recurring schedule (cron or a period) for one job type, and per
// schedule pause/resume, trigger and delete, with its next run and newest runs. Polls
// GET /api/schedules every two seconds and rebuilds only the rows whose content changed.

import { getJson, request } from './api.js';
import { byId, el, every, shortId, showError, stateBadge, timeElement } from './ui.js';

const POLL_MS = 2000;
const RUNS_SHOWN = 5;

function path(id, action = '') {
  return `api/schedules/${encodeURIComponent(id)}${action}`;
}

// "cron 0 0 9 * * * (Europe/Berlin)" or "every 60 s".
function timing(schedule) {
  if (schedule.cron) {
    return `cron ${schedule.cron} (${schedule.timeZone})`;
  }
  return `every ${schedule.everyMs / 1000} s`;
}

function lastRuns(schedule) {
  const runs = schedule.lastRuns.slice(0, RUNS_SHOWN);
  if (runs.length === 0) {
    return el('span', { className: 'muted' }, 'none yet');
  }
  return el('ol', { className: 'runs' }, ...runs.map((run) => el('li', { title: run.detail ?? '' },
    stateBadge(run.state), ' ', timeElement(run.scheduledFor), run.jobId ? ` ${shortId(run.jobId)}` : '')));
}

export class SchedulesPanel {
  constructor() {
    this.form = byId('schedule-form');
    this.body = byId('schedules-body');
    this.empty = byId('schedules-empty');
    this.error = byId('schedules-error');
    this.message = byId('schedule-message');
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.create();
    });
    this.body.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-action]');
      if (button) {
        this.act(button.dataset.id, button.dataset.action);
      }
    });
    this.poller = every(POLL_MS, () => this.refresh());
  }

  refreshNow() {
    this.poller.now();
  }

  async refresh() {
    try {
      const { schedules } = await getJson('api/schedules');
      showError(this.error, null);
      this.render(schedules);
    } catch (error) {
      showError(this.error, error);
    }
  }

  render(schedules) {
    this.empty.hidden = schedules.length > 0;
    const rows = schedules.map((schedule) => {
      const key = JSON.stringify(schedule);
      const existing = this.body.querySelector(`tr[data-id="${CSS.escape(schedule.id)}"]`);
      if (existing && existing.dataset.key === key) {
        return existing;
      }
      return this.row(schedule, key);
    });
    this.body.replaceChildren(...rows);
  }

  row(schedule, key) {
    const button = (action, label) => el('button', { type: 'button', className: 'secondary small',
      dataset: { id: schedule.id, action }, attrs: { 'aria-label': `${label} ${schedule.name}` } }, label);
    return el('tr', { dataset: { id: schedule.id, key } },
      el('td', {}, schedule.name),
      el('td', {}, el('code', {}, timing(schedule))),
      el('td', {}, schedule.job.type),
      el('td', {}, schedule.overlap),
      el('td', { className: 'next-run' }, schedule.paused ? el('span', { className: 'muted' }, 'paused')
        : timeElement(schedule.nextRunAt)),
      el('td', {}, lastRuns(schedule)),
      el('td', { className: 'actions' },
        schedule.paused ? button('resume', 'Resume') : button('pause', 'Pause'),
        button('trigger', 'Trigger'),
        button('delete', 'Delete')));
  }

  async act(id, action) {
    showError(this.error, null);
    try {
      if (action === 'delete') {
        await request(path(id), { method: 'DELETE' });
      } else {
        await getJson(path(id, `/${action}`), { method: 'POST' });
      }
      this.refreshNow();
    } catch (error) {
      showError(this.error, error);
    }
  }

  async create() {
    const value = (name) => this.form.elements[name].value.trim();
    let params;
    try {
      params = value('params') === '' ? {} : JSON.parse(value('params'));
    } catch (error) {
      showError(this.message, { problem: { title: 'Params are not valid JSON', detail: error.message } });
      return;
    }
    const body = { name: value('name'), job: { type: value('type'), params }, overlap: value('overlap') };
    const when = value('timing');
    if (/^\d+$/.test(when)) {
      body.everyMs = Number(when);
    } else {
      body.cron = when;
    }
    if (value('timeZone')) {
      body.timeZone = value('timeZone');
    }
    showError(this.message, null);
    try {
      const created = await getJson('api/schedules', { method: 'POST', body });
      this.message.append(el('p', { className: 'banner ok' }, `Created schedule ${created.name}.`));
      this.refreshNow();
    } catch (error) {
      showError(this.message, error);
    }
  }
}
