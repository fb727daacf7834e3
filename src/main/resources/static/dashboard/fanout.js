// The fan-out playground: POST /api/fanout/{gather|wait|first|stream} with the URLs in the box,
// results listed in completion order with their timings. The stream mode reads the NDJSON body
// line by line as it arrives (as_completed); Stop aborts it, and the server cancels what still runs.

import { getJson, ndjson, request } from './api.js';
import { hasPath } from './openapi.js';
import { byId, el, formatDuration, setText, showError } from './ui.js';

const DEFAULT_DELAYS_MS = [900, 300, 1200, 600, 150];
const MAX_GENERATED = 20;
// More results than any sane max-fanout; the list stays bounded even if a server streams forever.
const MAX_RESULTS = 1000;
const BODY_PREVIEW_CHARS = 80;

export class FanoutPlayground {
  constructor() {
    this.form = byId('fanout-form');
    this.urls = byId('fanout-urls');
    this.count = byId('fanout-count');
    this.failing = byId('fanout-failing');
    this.returnWhen = byId('fanout-return-when');
    this.returnExceptions = byId('fanout-return-exceptions');
    this.concurrency = byId('fanout-concurrency');
    this.perCallTimeout = byId('fanout-per-call-timeout');
    this.timeout = byId('fanout-timeout');
    this.run = byId('fanout-run');
    this.stopButton = byId('fanout-stop');
    this.summary = byId('fanout-summary');
    this.error = byId('fanout-error');
    this.results = byId('fanout-results');
    this.pending = byId('fanout-pending');
    this.unavailable = byId('fanout-unavailable');
    this.controller = null;
    this.urls.value = DEFAULT_DELAYS_MS.map((ms) => simUrl(`delay/${ms}`)).join('\n');
    byId('fanout-generate').addEventListener('click', () => this.generate());
    this.stopButton.addEventListener('click', () => this.controller?.abort());
    this.form.addEventListener('change', () => this.syncOptions());
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.execute();
    });
    this.syncOptions();
  }

  get mode() {
    return this.form.elements.mode.value;
  }

  /** Options that apply to one mode only are disabled for the others, so what is sent is what is shown. */
  syncOptions() {
    this.returnWhen.disabled = this.mode !== 'wait';
    this.returnExceptions.disabled = this.mode !== 'gather';
    this.checkAvailable();
  }

  async checkAvailable() {
    const path = `/api/fanout/${this.mode}`;
    const available = await hasPath(path);
    const missing = available === false;
    this.unavailable.hidden = !missing;
    setText(this.unavailable, missing ? `This server does not offer ${path} (it is not in its OpenAPI document).` : '');
    this.run.disabled = missing || this.controller !== null;
  }

  generate() {
    const count = Math.min(Math.max(Number(this.count.value) || 5, 1), MAX_GENERATED);
    const urls = Array.from({ length: count }, () => simUrl(`delay/${100 * (1 + Math.floor(Math.random() * 15))}`));
    if (this.failing.checked) {
      urls[Math.floor(Math.random() * count)] = simUrl('status/503');
    }
    this.urls.value = urls.join('\n');
  }

  body() {
    const body = { urls: this.urls.value.split('\n').map((line) => line.trim()).filter(Boolean) };
    const optional = { concurrency: this.concurrency, perCallTimeoutMs: this.perCallTimeout, timeoutMs: this.timeout };
    for (const [field, input] of Object.entries(optional)) {
      if (input.value !== '') {
        body[field] = Number(input.value);
      }
    }
    if (this.mode === 'wait') {
      body.returnWhen = this.returnWhen.value;
    }
    if (this.mode === 'gather') {
      body.returnExceptions = this.returnExceptions.checked;
    }
    return body;
  }

  async execute() {
    const mode = this.mode;
    const body = this.body();
    this.results.replaceChildren();
    this.pending.replaceChildren();
    showError(this.error, null);
    this.controller = new AbortController();
    this.run.disabled = true;
    this.stopButton.disabled = mode !== 'stream';
    this.startedAt = performance.now();
    setText(this.summary, `Running ${mode} over ${body.urls.length} URL${body.urls.length === 1 ? '' : 's'}…`);
    try {
      if (mode === 'stream') {
        await this.stream(body, this.controller.signal);
      } else {
        this.show(mode, await getJson(`api/fanout/${mode}`, { method: 'POST', body, signal: this.controller.signal }));
      }
    } catch (error) {
      if (error.name === 'AbortError') {
        setText(this.summary, `Stopped after ${this.results.childElementCount} result(s) and `
          + `${formatDuration(this.wallMs())}; the server cancels the calls still running.`);
      } else {
        setText(this.summary, `${mode} failed after ${formatDuration(this.wallMs())}.`);
        showError(this.error, error);
        // A 502 from gather or first names the failures; show them like results when it lists them.
        this.addAll(error.problem?.results ?? error.problem?.errors?.filter((item) => item && 'url' in item) ?? []);
      }
    } finally {
      this.controller = null;
      this.stopButton.disabled = true;
      this.checkAvailable();
    }
  }

  async stream(body, signal) {
    const response = await request('api/fanout/stream',
      { method: 'POST', body, signal, accept: 'application/x-ndjson' });
    let ok = 0;
    let failed = 0;
    for await (const result of ndjson(response)) {
      this.add(result);
      if (result.ok) {
        ok++;
      } else {
        failed++;
      }
      setText(this.summary, `stream: ${ok + failed} of ${body.urls.length} arrived (${ok} ok, ${failed} failed) after ${formatDuration(this.wallMs())}…`);
    }
    setText(this.summary, `stream: ${ok + failed} results in completion order (${ok} ok, ${failed} failed) in ${formatDuration(this.wallMs())}.`);
  }

  show(mode, response) {
    if (mode === 'first') {
      this.addAll([response]);
      setText(this.summary, `first: #${response.index} won after ${formatDuration(response.elapsedMs)}; the others were cancelled.`);
      return;
    }
    const results = mode === 'wait' ? response.done ?? [] : response.results ?? [];
    // gather answers in request order; list by each call's own time, i.e. the order they completed.
    this.addAll([...results].sort((a, b) => (a.elapsedMs ?? 0) - (b.elapsedMs ?? 0)));
    const total = response.elapsedMs === undefined ? '' : ` in ${formatDuration(response.elapsedMs)}`;
    if (mode === 'gather') {
      setText(this.summary, `gather: ${response.succeeded ?? '?'} succeeded, ${response.failed ?? '?'} failed${total}; listed by completion time.`);
    } else {
      const pending = response.pending ?? [];
      setText(this.summary, `wait (${this.returnWhen.value}): ${results.length} done, ${pending.length} pending${total}.`);
      if (pending.length > 0) {
        this.pending.replaceChildren(el('h4', {}, 'Pending when the wait returned (cancelled)'),
          el('ul', { className: 'pending' }, ...pending.map((call) => el('li', {}, `#${call.index} `, el('code', {}, call.url)))));
      }
    }
  }

  addAll(results) {
    results.forEach((result) => this.add(result));
  }

  add(result) {
    if (this.results.childElementCount >= MAX_RESULTS) {
      return;
    }
    const outcome = result.ok
      ? el('span', { className: 'outcome ok' }, `${result.status ?? 'ok'}`)
      : el('span', { className: 'outcome failed' }, result.error?.type ?? 'FAILED');
    const detail = result.ok ? preview(result.body) : [result.error?.message, result.error?.status].filter(Boolean).join(' · ');
    const item = el('li', { dataset: { index: String(result.index ?? ''), elapsedMs: String(result.elapsedMs ?? '') } },
      el('span', { className: 'arrival', title: 'when this result reached the page' }, `+${formatDuration(this.wallMs())}`),
      el('span', { className: 'index' }, `#${result.index ?? '?'}`),
      outcome,
      el('span', { className: 'elapsed' }, formatDuration(result.elapsedMs)),
      el('span', { className: 'bar', attrs: { 'aria-hidden': 'true' } }, el('span')),
      el('code', { className: 'url' }, result.url ?? ''),
      detail ? el('span', { className: 'detail muted' }, detail) : null);
    this.results.append(item);
    this.scaleBars();
  }

  /** Bars share one scale, the slowest call so far, so their lengths compare. */
  scaleBars() {
    const items = [...this.results.children];
    const slowest = Math.max(1, ...items.map((item) => Number(item.dataset.elapsedMs) || 0));
    for (const item of items) {
      const share = (Number(item.dataset.elapsedMs) || 0) / slowest;
      item.querySelector('.bar > span').style.width = `${Math.round(share * 100)}%`;
    }
  }

  wallMs() {
    return performance.now() - this.startedAt;
  }
}

function simUrl(path) {
  return new URL(`sim/${path}`, document.baseURI).href;
}

function preview(body) {
  if (body === undefined || body === null) {
    return '';
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length > BODY_PREVIEW_CHARS ? `${text.slice(0, BODY_PREVIEW_CHARS)}…` : text;
}
