// The checks of .ci/checks/grafana-dashboard.sh (read it first), run from the repository root with
// NODE_PATH pointing at the npm packages that script installs.
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');
const { parser } = require('@prometheus-io/lezer-promql');

const problems = [];
const fail = (where, message) => problems.push(`${where}: ${message}`);
const yamlFiles = (dir) => fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(dir, f));

const datasourceUids = new Set(yamlFiles('config/grafana/provisioning/datasources')
  .flatMap((f) => YAML.parse(fs.readFileSync(f, 'utf8')).datasources || [])
  .map((ds) => ds.uid));

// Grafana substitutes these before Prometheus sees the query; any duration parses the same way.
const withGrafanaVariables = (expr) => expr.replace(/\$\{?__(rate_interval|interval|range)\}?/g, '5m');

function metricNames(expr, where) {
  const query = withGrafanaVariables(expr);
  const names = [];
  parser.parse(query).iterate({
    enter(node) {
      if (node.type.isError) {
        fail(where, `not valid PromQL near offset ${node.from}: ${expr}`);
        return false;
      }
      if (node.name === 'VectorSelector') {
        const id = node.node.getChild('Identifier');
        if (id) {
          names.push(query.slice(id.from, id.to));
        } else {
          fail(where, `a selector without a metric name cannot be checked: ${expr}`);
        }
      }
      return undefined;
    },
  });
  return names;
}

const dashboardDir = 'config/grafana/dashboards';
const used = new Map();
const uids = new Set();
let unreadable = false;
const dashboards = fs.readdirSync(dashboardDir).filter((f) => f.endsWith('.json'));
if (dashboards.length === 0) fail(dashboardDir, 'no dashboard JSON');
for (const file of dashboards) {
  const where = path.join(dashboardDir, file);
  let dashboard;
  try {
    dashboard = JSON.parse(fs.readFileSync(where, 'utf8'));
  } catch (e) {
    fail(where, `does not parse: ${e.message}`);
    unreadable = true;
    continue;
  }
  if (!dashboard.uid || !dashboard.title) fail(where, 'needs a uid and a title');
  if (uids.has(dashboard.uid)) fail(where, `uid ${dashboard.uid} used twice`);
  uids.add(dashboard.uid);
  // Collapsed rows keep their panels inside the row.
  const panels = (dashboard.panels || []).flatMap((p) => [p, ...(p.panels || [])]).filter((p) => p.type !== 'row');
  if (panels.length === 0) fail(where, 'has no panels');
  for (const panel of panels) {
    const at = `${where} panel "${panel.title}"`;
    const targets = (panel.targets || []).filter((t) => !t.hide);
    if (targets.length === 0) fail(at, 'has no query');
    for (const target of targets) {
      const uid = (target.datasource || panel.datasource || {}).uid;
      if (!datasourceUids.has(uid)) fail(at, `data source uid ${uid} is not provisioned`);
      if (!target.expr || !target.expr.trim()) {
        fail(at, `query ${target.refId} is empty`);
        continue;
      }
      for (const name of metricNames(target.expr, at)) {
        used.set(name, [...(used.get(name) || []), at]);
      }
    }
  }
}

const listFile = 'config/grafana/dashboard-metrics.txt';
const listed = fs.readFileSync(listFile, 'utf8').split('\n').filter((line, i, all) => i < all.length - 1 || line !== '');
const seen = new Set();
listed.forEach((line, i) => {
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(line)) fail(`${listFile}:${i + 1}`, `not a metric name: "${line}"`);
  if (seen.has(line)) fail(`${listFile}:${i + 1}`, `listed twice: ${line}`);
  seen.add(line);
});
for (const [name, where] of used) {
  if (!seen.has(name)) fail(listFile, `misses ${name} (queried by ${where[0]})`);
}
// Names an unreadable dashboard may query would all show up here: report the parse error alone.
for (const name of unreadable ? [] : seen) {
  if (!used.has(name)) fail(listFile, `lists ${name}, which no dashboard queries`);
}

// The provider must read the folder that docker-compose.yml mounts the dashboards into.
const compose = YAML.parse(fs.readFileSync('docker-compose.yml', 'utf8'));
const mountTargets = Object.values(compose.services || {}).flatMap((s) => s.volumes || [])
  .map((v) => (typeof v === 'string' ? v.split(':') : [v.source, v.target]))
  .filter(([source]) => path.normalize(source || '') === dashboardDir)
  .map(([, target]) => target);
for (const file of yamlFiles('config/grafana/provisioning/dashboards')) {
  for (const provider of YAML.parse(fs.readFileSync(file, 'utf8')).providers || []) {
    const folder = (provider.options || {}).path;
    if (!mountTargets.includes(folder)) {
      fail(file, `provider "${provider.name}" reads ${folder}, but docker-compose.yml mounts ${dashboardDir} at ${mountTargets.join(', ') || 'no path'}`);
    }
  }
}

const home = Object.values(compose.services || {})
  .map((s) => (s.environment || {}).GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).find(Boolean);
if (home && !mountTargets.some((t) => dashboards.some((f) => path.posix.join(t, f) === home))) {
  fail('docker-compose.yml', `GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ${home} is none of the mounted dashboards`);
}

if (problems.length > 0) {
  console.error(`grafana: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`grafana: OK (${dashboards.length} dashboard(s), every query parses, ${seen.size} metrics, all in ${listFile})`);
