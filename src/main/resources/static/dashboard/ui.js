// Small DOM and formatting helpers shared by the dashboard's sections. Text always goes in as
// textContent, never as HTML: job names, params and upstream bodies are user data.

export const TERMINAL_STATES = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT']);

/** Creates an element: el('td', {className: 'x', dataset: {id}}, 'text', child). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) {
      continue;
    }
    if (key === 'dataset') {
      Object.assign(node.dataset, value);
    } else if (key === 'attrs') {
      for (const [name, attr] of Object.entries(value)) {
        node.setAttribute(name, attr);
      }
    } else {
      node[key] = value;
    }
  }
  node.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

/** Sets text only when it changed, so polling does not churn the DOM (or screen readers). */
export function setText(node, text) {
  const value = String(text ?? '');
  if (node.textContent !== value) {
    node.textContent = value;
  }
}

export function byId(id) {
  const node = document.getElementById(id);
  if (!node) {
    throw new Error(`the page has no #${id}`);
  }
  return node;
}

/** 850 ms, 12.3 s, 4 min 05 s, 2 h 03 min. */
export function formatDuration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) {
    return '';
  }
  const value = Math.max(0, ms);
  if (value < 1000) {
    return `${Math.round(value)} ms`;
  }
  if (value < 60_000) {
    return `${(value / 1000).toFixed(1)} s`;
  }
  const seconds = Math.floor(value / 1000);
  if (seconds < 3600) {
    return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
  }
  return `${Math.floor(seconds / 3600)} h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')} min`;
}

/** A <time> showing the local clock time, with the full instant in its title. */
export function timeElement(iso) {
  if (!iso) {
    return el('span', { className: 'muted' }, '—');
  }
  const date = new Date(iso);
  return el('time', { dateTime: iso, title: date.toString() }, date.toLocaleTimeString([], { hour12: false }));
}

export function shortId(id) {
  return String(id).slice(0, 8);
}

/** The state as a badge: text first (it is what the state is), colour only as a hint. */
export function stateBadge(state) {
  return el('span', { className: `state state-${String(state).toLowerCase()}` }, state);
}

export function prettyJson(value) {
  return value === undefined ? '' : JSON.stringify(value, null, 2);
}

/**
 * Replaces the content of {@code container} with a readable account of an error: the problem's
 * title and detail, the fields it names, and when to retry. Empties the container for null.
 */
export function showError(container, error) {
  container.replaceChildren();
  if (!error) {
    return;
  }
  const problem = error.problem ?? { title: 'Something went wrong', detail: error.message };
  const status = error.status ? ` (${error.status})` : '';
  const box = el('div', { className: 'banner error', attrs: { role: 'alert' } },
    el('strong', {}, `${problem.title ?? 'Error'}${status}`),
    problem.detail ? el('span', {}, ` — ${problem.detail}`) : null);
  // Validation problems list {field, message}; other problems may carry other items under errors.
  const fieldErrors = Array.isArray(problem.errors) ? problem.errors.filter((item) => item?.field) : [];
  const detailSaysItAll = fieldErrors.length === 1 && String(problem.detail ?? '').includes(fieldErrors[0].message);
  if (fieldErrors.length > 0 && !detailSaysItAll) {
    box.append(el('ul', {}, ...fieldErrors.slice(0, 20).map((fieldError) =>
      el('li', {}, el('code', {}, fieldError.field ?? '?'), `: ${fieldError.message ?? ''}`))));
  }
  if (error.retryAfter) {
    box.append(el('span', {}, ` Retry after ${error.retryAfter} s.`));
  }
  container.append(box);
}

/**
 * Calls {@code task} now and then {@code intervalMs} after each run ends, never two runs at once;
 * {@code now()} asks for a run at once (or right after the one in flight). Skips runs while the
 * tab is hidden, so a forgotten tab does not poll the service.
 */
export function every(intervalMs, task) {
  let timer = null;
  let running = false;
  let again = false;
  const run = async () => {
    clearTimeout(timer);
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      if (!document.hidden) {
        await task();
      }
    } finally {
      running = false;
      timer = setTimeout(run, again ? 0 : intervalMs);
      again = false;
    }
  };
  run();
  return { now: run };
}
