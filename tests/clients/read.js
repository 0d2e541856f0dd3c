// Read every table of a data package with datapackage-js, foreign keys resolved; print JSON on stdout:
// {table: [row, ...]} with each row keyed by field name (a resolved foreign key is the referenced row).
// Usage: node tests/clients/read.js path/to/datapackage.json
const path = require("path");
const { Package } = require(path.join(__dirname, "js", "node_modules", "datapackage"));

async function main() {
  const pkg = await Package.load(process.argv[2]);
  if (!pkg.valid) throw new Error("descriptor invalid: " + pkg.errors.map(String).join("; "));
  const out = {};
  for (const resource of pkg.resources) {
    out[resource.name] = await resource.read({ keyed: true, relations: true });
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
  if (error && error.errors) process.stderr.write(error.errors.map(String).join("\n") + "\n");
  process.exit(1);
});
