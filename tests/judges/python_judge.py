"""Judge process of a generated Python langpack (protocol: tests/judges/README.md).

Run as `python python_judge.py LANGPACK_DIR`: imports the langpack from its src/ and
builds every case through the langpack's own tests/test_vectors.py (`make_client`,
`build`), the code that checks the shared vectors, so the judge uses the public API
exactly as those tests do.
"""

from __future__ import annotations

import json
import sys
import traceback
from typing import Any


def unwrap(value: Any) -> Any:
    """Values the transport cannot carry as JSON strings: {"$wtf8": hex} is a string
    holding lone surrogates (its UTF-8 bytes, surrogates encoded like any code point)."""
    if isinstance(value, dict):
        if set(value) == {"$wtf8"}:
            return bytes.fromhex(value["$wtf8"]).decode("utf-8", "surrogatepass")
        return {k: unwrap(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unwrap(v) for v in value]
    return value


def raised_by_the_vector_builder(error: BaseException, tests: str, src: str) -> bool:
    """Whether the langpack never saw the value: the deepest frame of the langpack's own
    files is the tests' builder (e.g. `as_enum` calling Enum(['x'])), not src/."""
    ours = [f.filename for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith((tests, src))]
    return bool(ours) and ours[-1].startswith(tests)


def main() -> None:
    langpack = sys.argv[1]
    sys.path[:0] = [f"{langpack}/src", f"{langpack}/tests"]
    out = sys.stdout
    try:
        import test_vectors as vectors  # the langpack's own test module
    except BaseException as e:  # the langpack does not even import: every case crashes
        broken = json.dumps({"crash": f"import: {type(e).__name__}: {e}"})
        for _ in sys.stdin:
            out.write(broken + "\n")
            out.flush()
        return
    ValidationError = vectors.ValidationError
    for line in sys.stdin:
        case = unwrap(json.loads(line))
        try:
            client, _ = vectors.make_client(case["common"])
            encoded = client.encode(vectors.build(case))
            verdict: dict[str, Any] = {"valid": True, "hex": encoded.hex()}
        except ValidationError as e:
            verdict = {"valid": False, "field": e.field, "reason": e.reason, "by": "validation"}
        except Exception as e:
            if raised_by_the_vector_builder(e, f"{langpack}/tests/", f"{langpack}/src/"):
                verdict = {"valid": False, "field": None, "reason": f"{type(e).__name__}: {e}", "by": "types"}
            else:
                verdict = {"crash": f"{type(e).__name__}: {e}"}
        out.write(json.dumps(verdict) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
