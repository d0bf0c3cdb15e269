// The independent ES6 number serializer of tests/test_es6_numbers.py: reads a JSON
// array of doubles as 16 hex digits (their IEEE-754 bits, big-endian) on stdin and
// writes the JSON array of JSON.stringify(x) for each: ECMAScript's Number::toString.
"use strict";
const chunks = [];
process.stdin.on("data", (chunk) => chunks.push(chunk));
process.stdin.on("end", () => {
  const bits = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const buffer = Buffer.alloc(8);
  const out = bits.map((hex) => {
    buffer.write(hex, 0, "hex");
    return JSON.stringify(buffer.readDoubleBE(0));
  });
  process.stdout.write(JSON.stringify(out));
});
