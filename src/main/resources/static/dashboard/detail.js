// One job's detail: its facts, params, result or error, and its SSE stream
// (GET /api/jobs/{id}/events) shown event by event as it happens.

import { getJson, request, serverSentEvents } from './api.js';
import { cancelJob, elapsedMs, forgetJob, jobLabel, redeliverCallback, renderProgress, retryJob } from './jobs.js';
import { TERMINAL_STATES, byId, el, formatDuration, prettyJson, setText, showError, stateBadge, timeElement } from './ui.js';

// The log keeps the newest events only: a ticker at 200 ms would otherwise grow the page forever.
const MAX_EVENTS = 200;
// A dropped stream is reopened a few times (the job may still be running); then the table's
// polling still shows the job's state.
const MAX_RECONNECTS = 5;
const RECONNECT_DELAY_MS = 2000;

export class JobDetail {
  constructor({ onChanged }) {
    this.onChanged = onChanged;
    this.section = byId('job-detail');
    this.title = byId('detail-title');
    this.error = byId('detail-error');
    this.facts = byId('detail-facts');
    this.actions = byId('detail-actions');
    this.params = byId('detail-params');
    this.outcome = byId('detail-outcome');
    this.streamState = byId('detail-stream-state');
    this.events = byId('detail-events');
    this.id = null;
    this.job = null;
    this.controller = null;
    byId('detail-close').addEventListener('click', () => this.close());
  }

  /** Shows job {@code id}; {@code focus} moves the keyboard focus to the detail's heading. */
  async open(id, { focus = false } = {}) {
    this.stop();
    this.id = id;
    this.job = null;
    this.section.hidden = false;
    this.actions.dataset.terminal = '';
    this.facts.replaceChildren();
    this.outcome.replaceChildren();
    this.events.replaceChildren();
    setText(this.params, '');
    setText(this.title, `Job ${id}`);
    showError(this.error, null);
    if (focus) {
      this.title.focus();
    }
    try {
      this.update(await getJson(`api/jobs/${encodeURIComponent(id)}`));
    } catch (error) {
      if (this.id === id) {
        showError(this.error, error);
      }
      return;
    }
    this.follow(id);
  }

  close() {
    this.stop();
    this.id = null;
    this.section.hidden = true;
    this.onChanged(null);
  }

  stop() {
    this.controller?.abort();
    this.controller = null;
  }

  /** Shows a newer snapshot of the open job (from the stream or the table's polling). */
  update(job) {
    if (job.id !== this.id || isOlder(job, this.job)) {
      return;
    }
    this.job = job;
    setText(this.title, `Job ${jobLabel(job)}`);
    this.renderFacts(job);
    setText(this.params, prettyJson(job.params));
    this.renderOutcome(job);
    this.renderActions(job);
  }

  renderFacts(job) {
    const progress = el('dd', { className: 'progress-cell' });
    renderProgress(progress, job, `Progress of ${jobLabel(job)}`);
    const facts = [
      ['ID', el('code', {}, job.id)],
      ['Type', job.type],
      ['Name', job.name ?? '—'],
      ['State', stateBadge(job.state)],
      ['Progress', progress],
      ['Timeout', job.timeoutMs ? formatDuration(job.timeoutMs) : 'none'],
      ['Created', timeElement(job.createdAt)],
      ...(job.nextAttemptAt ? [['Due', timeElement(job.nextAttemptAt)]] : []),
      ...(job.attempt !== null && job.attempt !== undefined
        ? [['Attempt', job.maxAttempts ? `${job.attempt} of ${job.maxAttempts}` : String(job.attempt)]] : []),
      ['Started', timeElement(job.startedAt)],
      ['Finished', timeElement(job.finishedAt)],
      ['Elapsed', formatDuration(elapsedMs(job))],
    ];
    if (job.cancelReason) {
      facts.push(['Cancelled by', job.cancelReason]);
    }
    if (job.callback) {
      facts.push(['Callback', callbackFact(job.callback)]);
    }
    for (const [key, value] of Object.entries(job)) {
      // Fields added after this page was written (instanceId, attempt, createdBy, …) still show.
      if (!KNOWN_FIELDS.has(key) && value !== null && typeof value !== 'object') {
        facts.push([key, String(value)]);
      }
    }
    this.facts.replaceChildren(...facts.map(([term, value]) =>
      el('div', {}, el('dt', {}, term), value instanceof Element && value.tagName === 'DD' ? value : el('dd', {}, value))));
  }

  renderOutcome(job) {
    const parts = [];
    if (job.error) {
      parts.push(el('h3', {}, 'Error'),
        el('p', { className: 'banner error' }, el('strong', {}, job.error.type ?? 'ERROR'), ` — ${job.error.message ?? ''}`));
    }
    if (job.result !== null && job.result !== undefined) {
      parts.push(el('h3', {}, 'Result'), el('pre', {}, prettyJson(job.result)));
    }
    if (job.attempts?.length) {
      parts.push(el('h3', {}, 'Attempts'), attemptsTable(job.attempts));
    }
    const key = JSON.stringify([job.error, job.result, job.attempts]);
    if (this.outcome.dataset.key !== key) {
      this.outcome.dataset.key = key;
      this.outcome.replaceChildren(...parts);
    }
  }

  renderActions(job) {
    const terminal = TERMINAL_STATES.has(job.state);
    // Rebuilt only when the buttons change, so a button under the pointer survives every refresh.
    const retryable = RETRYABLE_STATES.has(job.state);
    const key = `${terminal}/${Boolean(job.callback)}/${retryable}`;
    if (this.actions.dataset.terminal === key) {
      return;
    }
    this.actions.dataset.terminal = key;
    const button = terminal
      ? el('button', { type: 'button', className: 'secondary' }, 'Forget this job')
      : el('button', { type: 'button', className: 'danger' }, 'Cancel this job');
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        if (terminal) {
          await forgetJob(job.id);
          this.close();
        } else {
          this.update(await cancelJob(job.id));
        }
        showError(this.error, null);
      } catch (error) {
        showError(this.error, error);
        button.disabled = false;
      }
      this.onChanged(this.id);
    });
    this.actions.replaceChildren(button);
    if (terminal && job.callback) {
      this.actions.append(this.redeliverButton(job));
    }
    if (retryable) {
      this.actions.append(this.retryButton(job));
    }
  }

  /** A dead-letter requeue: the same job runs once more, and the detail follows it afresh. */
  retryButton(job) {
    const button = el('button', { type: 'button' }, 'Retry', el('span', { className: 'visually-hidden' }, ' this job'));
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const requeued = await retryJob(job.id);
        this.job = null;
        this.update(requeued);
        this.stop();
        this.follow(job.id);
        showError(this.error, null);
      } catch (error) {
        showError(this.error, error);
        button.disabled = false;
      }
      this.onChanged(this.id);
    });
    return button;
  }

  /** Sends the ended job's callback again; it may be pressed again once the answer came. */
  redeliverButton(job) {
    const button = el('button', { type: 'button', className: 'secondary' }, 'Redeliver',
      el('span', { className: 'visually-hidden' }, ' the callback'));
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        this.update(await redeliverCallback(job.id));
        showError(this.error, null);
      } catch (error) {
        showError(this.error, error);
      }
      button.disabled = false;
      this.onChanged(this.id);
    });
    return button;
  }

  /** Reads the job's SSE stream until it ends after the terminal state, reopening it if it drops. */
  async follow(id) {
    const controller = new AbortController();
    this.controller = controller;
    for (let attempt = 0; attempt <= MAX_RECONNECTS && !controller.signal.aborted; attempt++) {
      try {
        const response = await request(`api/jobs/${encodeURIComponent(id)}/events`,
          { accept: 'text/event-stream', signal: controller.signal });
        setText(this.streamState, '· connected');
        for await (const event of serverSentEvents(response)) {
          this.record(event);
        }
        const finished = this.job && TERMINAL_STATES.has(this.job.state);
        setText(this.streamState, finished ? '· ended with the job' : '· closed by the server');
        return;
      } catch (error) {
        if (controller.signal.aborted) {
          return;
        }
        if (error.status === 404 || error.status === 401 || error.status === 403) {
          setText(this.streamState, '');
          showError(this.error, error);
          return;
        }
        if (this.job && TERMINAL_STATES.has(this.job.state)) {
          setText(this.streamState, '· ended');
          return;
        }
        setText(this.streamState, `· disconnected (${error.message}); reconnecting…`);
        await new Promise((resolve) => setTimeout(resolve, RECONNECT_DELAY_MS));
      }
    }
  }

  record(event) {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      data = event.data;
    }
    if (event.name === 'state' && data?.id) {
      this.update(data);
    } else if (event.name === 'progress' && this.job && data && typeof data === 'object') {
      this.update({ ...this.job, progress: data });
    }
    const atBottom = this.events.scrollTop + this.events.clientHeight >= this.events.scrollHeight - 4;
    this.events.append(el('li', {},
      el('time', { dateTime: new Date().toISOString() }, clockWithMillis()),
      el('code', { className: `event-${event.name}` }, event.name),
      el('span', {}, summarize(event.name, data))));
    while (this.events.childElementCount > MAX_EVENTS) {
      this.events.firstElementChild.remove();
    }
    if (atBottom) {
      this.events.scrollTop = this.events.scrollHeight;
    }
  }
}

const KNOWN_FIELDS = new Set(['id', 'type', 'name', 'state', 'params', 'timeoutMs', 'progress', 'result', 'error',
  'cancelReason', 'createdAt', 'startedAt', 'finishedAt', 'nextAttemptAt', 'attempt', 'maxAttempts', 'attempts']);

// What POST /api/jobs/{id}/retry accepts: a job that ended without succeeding.
const RETRYABLE_STATES = new Set(['FAILED', 'TIMED_OUT', 'CANCELLED']);

/** attempts[]: how each attempt of a job that retries ended. */
function attemptsTable(attempts) {
  const head = el('tr', {}, ...['#', 'State', 'Error', 'Started', 'Finished'].map((title) => el('th', { scope: 'col' }, title)));
  const rows = attempts.map((attempt) => el('tr', {},
    el('td', {}, String(attempt.attempt)),
    el('td', {}, stateBadge(attempt.state)),
    el('td', {}, attempt.error ? `${attempt.error.type}: ${attempt.error.message ?? ''}` : '—'),
    el('td', {}, timeElement(attempt.startedAt)),
    el('td', {}, timeElement(attempt.finishedAt))));
  return el('table', { className: 'attempts' }, el('thead', {}, head), el('tbody', {}, ...rows));
}

/**
 * Whether {@code next} is a staler snapshot than {@code current}: a poll answer written just
 * before an SSE event can arrive after it, and must not move the detail backwards.
 */
/** "DELIVERED · 1 try · last answer 200 → url": where the job JSON goes and how that went. */
function callbackFact(callback) {
  const tries = `${callback.attempts} ${callback.attempts === 1 ? 'try' : 'tries'}`;
  const last = callback.lastStatus ? ` · last answer ${callback.lastStatus}` : '';
  return el('dd', { className: 'callback' }, el('strong', {}, callback.state), ` · ${tries}${last} → `,
    el('code', {}, callback.url));
}

function isOlder(next, current) {
  if (!current) {
    return false;
  }
  if (TERMINAL_STATES.has(current.state)) {
    return !TERMINAL_STATES.has(next.state);
  }
  return next.state === current.state && (next.progress?.completed ?? 0) < (current.progress?.completed ?? 0);
}

function clockWithMillis() {
  const now = new Date();
  return `${now.toLocaleTimeString([], { hour12: false })}.${String(now.getMilliseconds()).padStart(3, '0')}`;
}

function summarize(name, data) {
  if (name === 'state' && data?.state) {
    const extra = data.error ? ` — ${data.error.type}: ${data.error.message}`
      : data.cancelReason ? ` — by ${data.cancelReason}` : '';
    return `${data.state}${extra}`;
  }
  if (name === 'progress' && data && typeof data === 'object') {
    return data.total === null || data.total === undefined ? `${data.completed}` : `${data.completed} / ${data.total}`;
  }
  return typeof data === 'string' ? data : JSON.stringify(data);
}
