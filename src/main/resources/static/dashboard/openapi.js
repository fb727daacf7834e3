// What this server offers, read from its OpenAPI document: which optional endpoints exist (so
// the page does not call absent ones and fill the console with 404s) and the job examples the
// API documents. Everything here degrades: without the document, every feature is tried and the
// built-in examples are used.

import { getJson } from './api.js';

const DOCS_PATH = 'v3/api-docs';
// The first request makes springdoc build the document, which takes seconds on a busy machine.
const DOCS_TIMEOUT_MS = 20000;

/** Examples used when the OpenAPI document is unavailable; the same ones the API documents. */
const BUILT_IN_JOB_EXAMPLES = [
  { type: 'sleep', summary: 'asyncio.sleep with progress ticks', params: { durationMs: 5000, steps: 5 }, timeoutMs: 60000 },
  { type: 'ticker', summary: 'background_work: ticks until cancelled', params: { intervalMs: 1000 } },
  { type: 'fetch', summary: 'asyncio.gather of HTTP calls, in the background',
    params: { urls: ['http://localhost:8080/sim/delay/200', 'http://localhost:8080/sim/delay/400'], concurrency: 2 } },
  { type: 'cpu', summary: 'CPU-bound work on a bounded pool: sum of i*i for i < n', params: { n: 100000000 }, timeoutMs: 30000 },
  { type: 'blocking', summary: 'asyncio.to_thread(time.sleep)', params: { durationMs: 2000 } },
  { type: 'pipeline', summary: 'producers and consumers over a bounded queue',
    params: { items: 100, producers: 2, consumers: 3, queueCapacity: 5, itemDelayMs: 10 } },
];

let docs;

/** Loads the document once; resolves to null when the server has none or it took too long. */
export function loadDocs() {
  docs ??= getJson(DOCS_PATH, { signal: AbortSignal.timeout(DOCS_TIMEOUT_MS) }).catch(() => null);
  return docs;
}

/** true or false when the document says whether {@code path} exists; null when there is no document. */
export async function hasPath(path) {
  const document = await loadDocs();
  return document?.paths ? Object.hasOwn(document.paths, path) : null;
}

/**
 * The job examples, one per type: {type, summary, params, timeoutMs?, name?}. URLs that name
 * localhost:8080 are rewritten to this page's origin, so the examples work on whatever port the
 * service runs.
 */
export async function jobExamples() {
  const document = await loadDocs();
  const examples = document?.paths?.['/api/jobs']?.post?.requestBody?.content?.['application/json']?.examples;
  const documented = [];
  for (const example of Object.values(examples ?? {})) {
    const value = typeof example.value === 'string' ? parseOrNull(example.value) : example.value;
    if (value?.type && !documented.some((known) => known.type === value.type)) {
      documented.push({ ...value, summary: example.summary ?? '' });
    }
  }
  const chosen = documented.length > 0 ? documented : BUILT_IN_JOB_EXAMPLES;
  return chosen.map((example) => ({ ...example, params: withThisOrigin(example.params ?? {}) }));
}

function parseOrNull(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function withThisOrigin(params) {
  return JSON.parse(JSON.stringify(params).replaceAll('http://localhost:8080', window.location.origin));
}
