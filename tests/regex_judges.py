"""Regex engines of the target languages as long-lived judges for differential tests.

Each judge is one process (node, a small Go program compiled once, php) that reads JSON
lines `{"pattern": P, "inputs": [S, ...]}` and answers `{"results": [true, false, ...]}`
or `{"error": "..."}` when P does not compile. Python's own judges run in-process.
A judge whose tool is missing is None: callers skip it (PHP may not be installed).
"""

from __future__ import annotations

import json
import select
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

NODE_JUDGE = r"""
const readline = require("readline");
const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on("line", (line) => {
  const request = JSON.parse(line);
  let out;
  try {
    const re = new RegExp(request.pattern, "u");
    out = { results: request.inputs.map((s) => re.test(s)) };
  } catch (e) {
    out = { error: String(e) };
  }
  process.stdout.write(JSON.stringify(out) + "\n");
});
"""

GO_JUDGE = r"""
package main

import (
	"bufio"
	"encoding/json"
	"os"
	"regexp"
)

type request struct {
	Pattern string   `json:"pattern"`
	Inputs  []string `json:"inputs"`
}

type response struct {
	Results []bool `json:"results,omitempty"`
	Error   string `json:"error,omitempty"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 64<<20), 64<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var req request
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			out.Encode(response{Error: err.Error()})
			continue
		}
		re, err := regexp.Compile(req.Pattern)
		if err != nil {
			out.Encode(response{Error: err.Error()})
			continue
		}
		results := make([]bool, len(req.Inputs))
		for i, s := range req.Inputs {
			results[i] = re.MatchString(s)
		}
		out.Encode(response{Results: results})
	}
}
"""

PHP_JUDGE = r"""
while (($line = fgets(STDIN)) !== false) {
    $request = json_decode($line, true, 512, JSON_THROW_ON_ERROR);
    $results = [];
    $error = null;
    foreach ($request['inputs'] as $input) {
        $found = @preg_match($request['pattern'], $input);
        if ($found === false) {
            $error = preg_last_error_msg() . ' ' . (error_get_last()['message'] ?? '');
            break;
        }
        $results[] = $found === 1;
    }
    if ($request['inputs'] === []) {
        if (@preg_match($request['pattern'], '') === false) {
            $error = preg_last_error_msg() . ' ' . (error_get_last()['message'] ?? '');
        }
    }
    echo json_encode($error === null ? ['results' => $results] : ['error' => $error]), "\n";
    flush();
}
"""


class CompileError(Exception):
    pass


class JudgeTimeout(Exception):
    """A backtracking engine (V8, PCRE) took longer than a verdict may take."""


class ProcessJudge:
    # V8 backtracks without a limit: one pattern against one value can take hours, so a
    # verdict has a deadline, and the judge is restarted after one is missed
    deadline_seconds = 60.0

    def __init__(self, name: str, command: list[str], cwd: Path | None = None) -> None:
        self.name = name
        self.command = command
        self.cwd = cwd
        self.process = self._start()

    def _start(self) -> subprocess.Popen[str]:
        return subprocess.Popen(
            self.command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=self.cwd,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )

    def verdicts(self, pattern: str, inputs: list[str]) -> list[bool]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"pattern": pattern, "inputs": inputs}) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], self.deadline_seconds)
        if not ready:
            self.process.kill()
            self.process.wait()
            self.process = self._start()
            raise JudgeTimeout(f"{self.name}: no verdict within {self.deadline_seconds:.0f} s for {pattern[:80]!r}")
        answer: dict[str, Any] = json.loads(self.process.stdout.readline())
        if "error" in answer:
            raise CompileError(f"{self.name}: {answer['error']}")
        results: list[bool] = answer.get("results") or [False] * 0
        assert len(results) == len(inputs), (self.name, answer)
        return results

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=30)


def node_judge() -> ProcessJudge | None:
    if shutil.which("node") is None:
        return None
    return ProcessJudge("node", ["node", "-e", NODE_JUDGE])


def go_judge(workdir: Path) -> ProcessJudge | None:
    if shutil.which("go") is None:
        return None
    (workdir / "go.mod").write_text("module judge\n\ngo 1.21\n")
    (workdir / "main.go").write_text(GO_JUDGE)
    subprocess.run(["go", "build", "-o", "judge", "."], cwd=workdir, check=True, capture_output=True)
    return ProcessJudge("go", [str(workdir / "judge")])


def php_judge() -> ProcessJudge | None:
    if shutil.which("php") is None:
        return None
    return ProcessJudge("php", ["php", "-r", PHP_JUDGE])


def python_fullmatch(pattern: str, inputs: list[str]) -> list[bool]:
    compiled = re.compile(pattern, re.ASCII)  # as the generated Python langpacks compile it
    return [compiled.fullmatch(s) is not None for s in inputs]


def python_search(pattern: str, inputs: list[str]) -> list[bool]:
    """How python-jsonschema applies a JSON Schema `pattern`."""
    compiled = re.compile(pattern)
    return [compiled.search(s) is not None for s in inputs]
