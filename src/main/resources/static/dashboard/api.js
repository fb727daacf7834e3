// The only way the dashboard talks to the service: fetch with the session's API key, RFC 9457
// problems turned into ApiError, and line readers for the two streaming formats (SSE, NDJSON).
// fetch rather than EventSource for SSE, because EventSource cannot send an Authorization header.

const KEY_STORAGE = 'asyncpatterns.apiKey';
// A stream line longer than this is not something this service sends; stop rather than buffer it.
const MAX_LINE_CHARS = 4 * 1024 * 1024;

/** A failed call: HTTP status (0 when the service was unreachable) and the problem it answered. */
export class ApiError extends Error {
  constructor(status, problem, retryAfter = null) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }
}

const unauthorizedListeners = new Set();
let clockOffsetMs = 0;

export function apiKey() {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function setApiKey(key) {
  if (key) {
    sessionStorage.setItem(KEY_STORAGE, key);
  } else {
    sessionStorage.removeItem(KEY_STORAGE);
  }
}

/** Called with the ApiError of every 401, so the page can ask for a key once, wherever it happened. */
export function onUnauthorized(listener) {
  unauthorizedListeners.add(listener);
}

/**
 * The server's clock, as well as the Date headers tell it: elapsed times of running jobs are
 * computed from server instants, so a browser whose clock is off by minutes would show nonsense.
 * Offsets under 1.5 s are ignored (the header has one-second resolution).
 */
export function serverNow() {
  return Date.now() + clockOffsetMs;
}

function learnClock(response) {
  const date = Date.parse(response.headers.get('Date') ?? '');
  if (Number.isNaN(date)) {
    return;
  }
  const offset = date - Date.now();
  clockOffsetMs = Math.abs(offset) > 1500 ? offset : 0;
}

/**
 * Calls the service. Resolves with the Response when its status is 2xx or listed in
 * {@code okStatuses}; otherwise rejects with an ApiError built from the problem body.
 */
export async function request(path, { method = 'GET', body, signal, accept = 'application/json', okStatuses = [] } = {}) {
  const headers = { Accept: accept };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const key = apiKey();
  if (key) {
    headers.Authorization = `Bearer ${key}`;
  }
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      cache: 'no-store',
    });
  } catch (error) {
    if (error.name === 'AbortError') {
      throw error;
    }
    throw new ApiError(0, {
      title: 'Service unreachable',
      detail: `${method} ${path} got no answer (${error.message}). Is the service running?`,
    });
  }
  learnClock(response);
  if (!response.ok && !okStatuses.includes(response.status)) {
    throw await problemOf(response, method, path);
  }
  return response;
}

/** {@link request} and the JSON body (null for 204). */
export async function getJson(path, options) {
  const response = await request(path, options);
  return response.status === 204 ? null : response.json();
}

async function problemOf(response, method, path) {
  const text = await response.text().catch(() => '');
  let problem = null;
  try {
    problem = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's HTML page, say): described below from the status alone.
  }
  if (!problem || typeof problem !== 'object' || Array.isArray(problem)) {
    problem = {
      title: response.statusText || `HTTP ${response.status}`,
      detail: `${method} ${path} answered ${response.status}.`,
    };
  }
  const error = new ApiError(response.status, problem, response.headers.get('Retry-After'));
  if (response.status === 401) {
    unauthorizedListeners.forEach((listener) => listener(error));
  }
  return error;
}

/**
 * The lines of a streamed body as they arrive (without their line ends). Leaving the loop early
 * cancels the body, which closes the connection: the server sees the client go away.
 */
export async function* lines(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        break;
      }
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n')) >= 0) {
        yield buffer.slice(0, end).replace(/\r$/, '');
        buffer = buffer.slice(end + 1);
      }
      if (buffer.length > MAX_LINE_CHARS) {
        throw new Error(`a streamed line is longer than ${MAX_LINE_CHARS} characters`);
      }
    }
    if (buffer.length > 0) {
      yield buffer.replace(/\r$/, '');
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** Server-sent events ({name, data}) of a text/event-stream body; comments (keep-alives) are skipped. */
export async function* serverSentEvents(response) {
  let name = 'message';
  let data = [];
  for await (const line of lines(response)) {
    if (line === '') {
      if (data.length > 0) {
        yield { name, data: data.join('\n') };
      }
      name = 'message';
      data = [];
    } else if (!line.startsWith(':')) {
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') {
        name = value;
      } else if (field === 'data') {
        data.push(value);
      }
    }
  }
}

/** The JSON values of an application/x-ndjson body, one per line, as each line arrives. */
export async function* ndjson(response) {
  for await (const line of lines(response)) {
    if (line.trim() !== '') {
      yield JSON.parse(line);
    }
  }
}
