// Checks httpyac's JSON report for .ci/checks/http-requests.sh: every request of every .http file
// ran, each with assertions, all passed. Usage: node http-requests-report.cjs REPORT FILE.http...
const fs = require('fs');
const [report, ...files] = process.argv.slice(2);
const expected = files.map((f) => (fs.readFileSync(f, 'utf8').match(/^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) /gm) || []).length)
  .reduce((a, b) => a + b, 0);
let result;
try {
  result = JSON.parse(fs.readFileSync(report, 'utf8'));
} catch (e) {
  console.error(`http-requests: no JSON report from httpyac (${e.message})`);
  process.exit(1);
}
const problems = [];
for (const r of result.requests) {
  const where = `${r.fileName.split('/').pop()}:${r.line + 1} ${r.title || r.name}`;
  const tests = r.testResults || [];
  if (tests.length === 0) problems.push(`${where}: no assertion ran`);
  for (const t of tests.filter((t) => t.status !== 'SUCCESS')) {
    problems.push(`${where}: ${t.message} ${t.status}${t.error ? `: ${t.error.displayMessage || t.error.message}` : ''}`);
  }
  if (tests.some((t) => t.status !== 'SUCCESS') && r.response) {
    problems.push(`  answered ${r.response.statusCode}: ${JSON.stringify(r.response.body).slice(0, 400)}`);
  }
}
if (result.requests.length !== expected) problems.push(`${result.requests.length} of ${expected} requests ran`);
const s = result.summary;
console.log(`http-requests: ${s.totalRequests} requests, ${s.totalTests} tests, ${s.failedTests + s.erroredTests} failed`);
if (problems.length > 0) {
  console.error(`http-requests: FAILED\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
