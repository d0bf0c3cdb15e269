// Judge process for JSON Schemas under ajv (protocol: tests/judges/README.md).
//
// Reads NDJSON requests on stdin and answers each with one line:
//   {"define": KEY, "schema": {...}}  -> {"ok": true} or {"error": "..."} (the schema does not compile)
//   {"validate": KEY, "data": ...}    -> {"valid": true|false, "errors": [{instancePath, keyword, params}]}
// Schemas are draft 2020-12 (ajv/dist/2020) with ajv-formats, in one configuration
// (AJV_OPTIONS) shared by the exported schemas and the JSON Schema Test Suite.
"use strict";
const path = require("path");
const readline = require("readline");
const { createRequire } = require("module");

const nodeRequire = createRequire(path.join(__dirname, "..", "node", "package.json"));
const Ajv2020 = nodeRequire("ajv/dist/2020").default;
const addFormats = nodeRequire("ajv-formats").default;

// strictTypes/strictTuples/allowMatchingProperties: the suite's schemas use keywords
// without `type` and properties that a patternProperties pattern matches, as the JSON
// Schema spec allows; unknown keywords still fail (strictSchema).
const AJV_OPTIONS = {
  allErrors: true,
  strictSchema: true,
  strictTypes: false,
  strictTuples: false,
  allowMatchingProperties: true,
  logger: false,
};
const ajv = new Ajv2020(AJV_OPTIONS);
addFormats(ajv);
const validators = new Map();

function answer(request) {
  if ("define" in request) {
    try {
      validators.set(request.define, ajv.compile(request.schema));
      return { ok: true };
    } catch (e) {
      return { error: String(e && e.message) };
    }
  }
  const validate = validators.get(request.validate);
  if (!validate) {
    return { error: "no schema " + request.validate };
  }
  const valid = validate(request.data);
  const errors = (validate.errors || []).map((e) => ({ instancePath: e.instancePath, keyword: e.keyword, params: e.params }));
  return { valid, errors };
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on("line", (line) => {
  if (!line.trim()) return;
  let reply;
  try {
    reply = answer(JSON.parse(line));
  } catch (e) {
    reply = { crash: String(e && e.stack) };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
});
