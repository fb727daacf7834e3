// Entry point: wires the sections together, asks for an API key when the service answers 401,
// and turns any unexpected script error into a visible message rather than a dead page.

import { apiKey, onUnauthorized, setApiKey } from './api.js';
import { JobDetail } from './detail.js';
import { FanoutPlayground } from './fanout.js';
import { HealthPanel } from './health.js';
import { JobsTable } from './jobs.js';
import { SchedulesPanel } from './schedules.js';
import { StartJobForm } from './start.js';
import { byId, el, setText } from './ui.js';

const MAX_MESSAGES = 5;

function showMessage(text) {
  const messages = byId('messages');
  const dismiss = el('button', { type: 'button', className: 'secondary small' }, 'Dismiss');
  const message = el('p', { className: 'banner error', attrs: { role: 'alert' } }, text, ' ', dismiss);
  dismiss.addEventListener('click', () => message.remove());
  messages.append(message);
  while (messages.childElementCount > MAX_MESSAGES) {
    messages.firstElementChild.remove();
  }
}

window.addEventListener('error', (event) => showMessage(`The page hit an error: ${event.message}`));
window.addEventListener('unhandledrejection', (event) =>
  showMessage(`The page hit an error: ${event.reason?.message ?? event.reason}`));

class ApiKeyPrompt {
  constructor(onChange) {
    this.onChange = onChange;
    this.dialog = byId('api-key-dialog');
    this.input = byId('api-key-input');
    this.reason = byId('api-key-reason');
    this.state = byId('auth-state');
    this.forget = byId('api-key-forget');
    byId('api-key-open').addEventListener('click', () => this.ask('Enter the API key or token to use for this tab.'));
    this.forget.addEventListener('click', () => {
      setApiKey(null);
      this.render();
      this.onChange();
    });
    this.dialog.addEventListener('close', () => {
      if (this.dialog.returnValue === 'save' && this.input.value.trim()) {
        setApiKey(this.input.value.trim());
        this.onChange();
      }
      this.input.value = '';
      this.render();
    });
    onUnauthorized((error) => this.ask(error.problem?.detail
      ? `The service answered 401: ${error.problem.detail}`
      : 'The service needs an API key (it answered 401).'));
    this.render();
  }

  ask(reason) {
    setText(this.reason, reason);
    if (!this.dialog.open) {
      this.dialog.returnValue = '';
      this.dialog.showModal();
    }
  }

  render() {
    const key = apiKey();
    setText(this.state, key ? 'Using an API key' : 'No API key');
    this.forget.hidden = !key;
  }
}

const detail = new JobDetail({
  onChanged: (id) => {
    table.select(id);
    table.refreshNow();
  },
});
const table = new JobsTable({
  onSelect: (id) => {
    table.select(id);
    detail.open(id, { focus: true });
  },
  onJob: (job) => detail.update(job),
});
const startForm = new StartJobForm({
  onStarted: (job) => {
    table.select(job.id);
    detail.open(job.id);
    table.refreshNow();
  },
});
const health = new HealthPanel();
const schedules = new SchedulesPanel();
new FanoutPlayground();
new ApiKeyPrompt(() => {
  table.refreshNow();
  health.refreshNow();
  schedules.refreshNow();
});
startForm.load().then((types) => table.addTypes(types));
