// The "Start job" form: a type, its params as JSON pre-filled with the documented example,
// optional name and timeout; POST /api/jobs.

import { getJson } from './api.js';
import { jobExamples } from './openapi.js';
import { byId, el, prettyJson, setText, shortId, showError } from './ui.js';

export class StartJobForm {
  constructor({ onStarted }) {
    this.onStarted = onStarted;
    this.form = byId('start-job-form');
    this.type = byId('job-type');
    this.hint = byId('job-type-hint');
    this.params = byId('job-params');
    this.paramsError = byId('job-params-error');
    this.name = byId('job-name');
    this.timeout = byId('job-timeout');
    this.message = byId('start-job-message');
    this.submit = byId('start-job');
    this.examples = new Map();
    this.type.addEventListener('change', () => this.fillExample());
    byId('job-example').addEventListener('click', () => this.fillExample());
    this.params.addEventListener('input', () => this.checkParams());
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.start();
    });
  }

  /** Loads the examples (the OpenAPI document's, else built-in); resolves to the job types offered. */
  async load() {
    const examples = await jobExamples();
    this.examples = new Map(examples.map((example) => [example.type, example]));
    const selected = this.type.value;
    this.type.replaceChildren(...examples.map((example) => el('option', { value: example.type }, example.type)));
    if (this.examples.has(selected)) {
      this.type.value = selected;
    }
    this.fillExample();
    return [...this.examples.keys()];
  }

  fillExample() {
    const example = this.examples.get(this.type.value);
    if (!example) {
      return;
    }
    setText(this.hint, example.summary ?? '');
    this.params.value = prettyJson(example.params ?? {});
    this.name.value = example.name ?? '';
    this.timeout.value = example.timeoutMs ?? '';
    this.checkParams();
  }

  /** Parses the params box; shows what is wrong with it next to it. Returns undefined when invalid. */
  checkParams() {
    let params;
    let problem = null;
    try {
      params = this.params.value.trim() === '' ? {} : JSON.parse(this.params.value);
      if (params === null || typeof params !== 'object' || Array.isArray(params)) {
        problem = 'Params must be a JSON object, for example {"intervalMs": 1000}.';
      }
    } catch (error) {
      problem = `Params are not valid JSON: ${error.message}`;
    }
    this.params.setAttribute('aria-invalid', String(problem !== null));
    this.paramsError.hidden = problem === null;
    setText(this.paramsError, problem ?? '');
    return problem === null ? params : undefined;
  }

  async start() {
    const params = this.checkParams();
    if (params === undefined) {
      this.params.focus();
      return;
    }
    const body = { type: this.type.value, params };
    if (this.name.value.trim()) {
      body.name = this.name.value.trim();
    }
    if (this.timeout.value !== '') {
      body.timeoutMs = Number(this.timeout.value);
    }
    this.submit.disabled = true;
    showError(this.message, null);
    try {
      const job = await getJson('api/jobs', { method: 'POST', body });
      this.message.append(el('p', { className: 'banner ok' },
        `Started ${job.type} job ${shortId(job.id)}: ${job.state}.`));
      this.onStarted(job);
    } catch (error) {
      showError(this.message, error);
    } finally {
      this.submit.disabled = false;
    }
  }
}
