// Fetches the OpenAPI document for .ci/checks/openapi-lint.sh and saves it, failing unless it is
// OpenAPI 3. Usage: node openapi-fetch.cjs URL FILE
const [url, file] = process.argv.slice(2);
fetch(url).then(async (r) => {
  const doc = await r.json();
  if (!r.ok || !/^3\./.test(doc.openapi || "")) throw new Error(`not an OpenAPI 3 document (HTTP ${r.status})`);
  require("fs").writeFileSync(file, JSON.stringify(doc, null, 2));
  console.log(`openapi-lint: ${Object.keys(doc.paths).length} paths, OpenAPI ${doc.openapi}`);
}).catch((e) => { console.error(`openapi-lint: ${e.message}`); process.exit(1); });
