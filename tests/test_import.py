"""`clickgen import segment|jsonschema`: fixtures in both source formats (every construct
and every loss kind), exit codes, determinism, names, the langpacks built from imported
references, and properties: random JSON never crashes the importer and its output
always validates; a reference exported with `clickgen schema` imports back to the same
contracts; JSON Schema patterns mean in the reference what they mean to ECMA-262 (Node)."""

from __future__ import annotations

import dataclasses
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from clickgen import iregexp
from clickgen.checkplan import compiled_pattern, plan_field
from clickgen.export_schema import export
from clickgen.frontend import Analysis, analyze, analyze_folder
from clickgen.importers import regex
from clickgen.importers.jsonread import parse_json
from clickgen.importers.jsonschema import import_jsonschema
from clickgen.importers.model import KINDS, ImportProblem, Severity
from clickgen.importers.names import singular
from clickgen.importers.segment import import_segment
from clickgen.importers.writer import build_reference
from clickgen.ir import ENVELOPE_KEYS, INT64_MAX, INT64_MIN, FieldType, Reference

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "import"
SEGMENT_CONFIG = FIXTURES / "segment" / "config-api-plan.json"
SEGMENT_PUBLIC = FIXTURES / "segment" / "public-api-plan.json"
SEGMENT_OBJECTS = FIXTURES / "segment" / "objects-plan.json"
IGLU = FIXTURES / "jsonschema" / "iglu"
PLAIN = FIXTURES / "jsonschema" / "plain"
EXPORTED = FIXTURES / "jsonschema" / "exported"
OBJECTS = FIXTURES / "jsonschema" / "objects"
EXAMPLE = ROOT / "examples" / "reference"


class MemorySource:
    """Reference files held in memory (the importer's output, before it is written)."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = {path: content for path, content in files.items() if path.endswith(".yaml")}

    def list_files(self) -> tuple[list[str], list[Any]]:
        return sorted(self.files), []

    def read_bytes(self, path: str) -> bytes:
        return self.files[path]


def run_import(clickgen_cli, kind: str, source: Path, out: Path, *args: str):  # type: ignore[no-untyped-def]
    return clickgen_cli("import", kind, source, "--out", out, *args)


def imported(clickgen_cli, kind: str, source: Path, out: Path, *args: str) -> tuple[dict[str, Any], Analysis]:  # type: ignore[no-untyped-def]
    """Import with --format json; the report, and the analysis of the written reference."""
    result = run_import(clickgen_cli, kind, source, out, "--format", "json", *args)
    assert result.exit_code in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert result.exit_code == (1 if report["counts"]["lost"] and "--allow-loss" not in args else 0)
    analysis = analyze_folder(out)
    assert analysis.ok, [str(d) for d in analysis.diagnostics]
    assert not analysis.diagnostics, [str(d) for d in analysis.diagnostics]  # not even warnings
    return report, analysis


def entries(report: dict[str, Any], event: str | None = None) -> list[dict[str, Any]]:
    out = [e for ev in report["by_event"] for e in ev["entries"]] + report["source_entries"]
    return [e for e in out if event is None or e["event"] == event]


def kinds(report: dict[str, Any], event: str | None = None) -> set[str]:
    return {e["kind"] for e in entries(report, event)}


def contract(reference: Reference, name: str) -> dict[str, Any]:
    return reference.fields[name].contract()


def uses(reference: Reference, event: str, version: int) -> dict[str, bool]:
    found = reference.events[event].version(version)
    assert found is not None
    return {u.name: u.required for u in found.fields}


# --- Segment ------------------------------------------------------------------------


def test_a_segment_config_api_plan_imports_into_a_valid_reference(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report, analysis = imported(clickgen_cli, "segment", SEGMENT_CONFIG, tmp_path / "ref")
    reference = analysis.reference
    # the group rule declares no traits, so it is no event (and says so)
    assert sorted(reference.events) == ["identify", "product_added", "product_viewed", "search_performed"]
    assert "no-traits" in kinds(report)
    assert reference.settings.name == "shop-web"
    assert [e.id for e in reference.events.values()] == [1, 2, 3, 4]  # in name order
    # versions 1 and 3 of one event are its versions 1 and 2; the duplicate 3 is reported
    added = reference.events["product_added"]
    assert [v.number for v in added.versions] == [1, 2]
    assert uses(reference, "product_added", 2) == {"cart_id": True, "cart_value": True, "product_id": True, "size": False, "type": True}
    assert {"version-renumbered", "duplicate-rule", "segment-context"} <= kinds(report, "product_added")
    assert "Segment labels: area=catalog, priority=p1." in reference.events["product_viewed"].description
    # one dictionary field where key and contract agree across events
    assert contract(reference, "product_id") == {"type": "string", "min_length": 1, "max_length": 64, "pattern": "[A-Z]{2}-[0-9]{4,8}"}
    assert (tmp_path / "ref" / "fields" / "_shared.yaml").read_text().count("product_id:") == 1
    assert contract(reference, "quantity") == {"type": "integer", "minimum": 1, "maximum": 99}
    assert reference.fields["quantity"].examples == (1, 2)  # 500 breaks exclusiveMaximum 100
    assert contract(reference, "price") == {"type": "number", "minimum": 5e-324, "maximum": 1000000.0}
    assert contract(reference, "currency") == {"type": "string", "enum": ["EUR", "USD", "GBP"]}
    # `type` means two things: the first event keeps the name, the other gets its own
    assert contract(reference, "type") == {"type": "string", "enum": ["button", "drag", "voice"]}
    assert contract(reference, "search_performed_type") == {"type": "string", "enum": ["products", "stores"], "key": "type"}
    # snake_case names from camelCase, `$`, dots and spaces, with the original key
    assert contract(reference, "category_path") == {"type": "array", "items": "string", "max_length": 40, "max_items": 5, "key": "categoryPath"}
    assert contract(reference, "sort_order")["key"] == "$sortOrder"
    assert contract(reference, "filters_brand")["key"] == "filters.brand"
    assert contract(reference, "page_number") == {"type": "integer", "minimum": 1, "key": "page number"}
    assert contract(reference, "request_id") == {"type": "string", "key": "requestId", "format": "uuid"}
    # a $ref inside the rule is resolved
    assert contract(reference, "query") == {"type": "string", "min_length": 1, "max_length": 200}
    assert reference.fields["query"].description == "The text searched for."
    # enums that cannot be typed constants are the same set as a pattern
    assert contract(reference, "sort_order")["pattern"] == "price-asc|price_asc|relevance"
    assert contract(reference, "size")["pattern"] == "S|M|L|"
    # an unanchored pattern means "contains"
    assert contract(reference, "discount_code")["pattern"] == "(.|\\n|\\r)*(SUMMER|WINTER)(.|\\n|\\r)*"
    assert contract(reference, "channel") == {"type": "string", "enum": ["web"]}
    assert contract(reference, "shipping_tier") == {"type": "integer", "minimum": 1, "maximum": 10, "key": "shippingTier"}
    assert contract(reference, "rating_scale") == {"type": "integer", "minimum": 1, "maximum": 5, "key": "ratingScale"}
    viewed = kinds(report, "product_viewed")
    assert {"dynamic-keys", "free-form-object", "untyped", "combinator", "union-type", "format", "pattern", "multiple-of", "enum"} <= viewed
    # a nested object is an object field, an array of objects names its items' object field
    assert contract(reference, "product") == {"type": "object", "properties": {"brand": "optional", "sku": "required"}}
    assert contract(reference, "promotions") == {"type": "array", "items": "promotion"}
    assert contract(reference, "promotion") == {"type": "object", "properties": {"code": "optional"}}
    assert uses(reference, "product_viewed", 1)["product"] is False
    # identify's traits are the `identify` event
    assert uses(reference, "identify", 1) == {"email": True, "first_name": False, "plan": False}


def test_a_segment_public_api_plan_imports_without_loss(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report, analysis = imported(clickgen_cli, "segment", SEGMENT_PUBLIC, tmp_path / "ref", "--env", "ios-app", "--env", "android-app")
    reference = analysis.reference
    assert report["counts"] == {"lost": 0, "approximated": 0, "converted": 0}
    assert sorted(reference.events) == ["group", "identify", "order_completed", "page_checkout", "screen_cart"]
    assert sorted(reference.environments) == ["android-app", "ios-app"]
    assert [e.source_id for e in reference.environments.values()] == [1, 2]
    assert all(e.environments == ("android-app", "ios-app") for e in reference.events.values())
    order = reference.events["order_completed"]
    assert [v.number for v in order.versions] == [1, 2]
    assert uses(reference, "order_completed", 2) == {"coupon": False, "order_id": True, "payment_method": True, "total": True}
    assert order.description.startswith("An order was paid; v2 adds the payment method.")
    assert contract(reference, "order_id") == {"type": "string", "pattern": "ORD-[0-9]+", "key": "orderId"}
    assert contract(reference, "items") == {"type": "array", "items": "string", "min_items": 1}
    assert uses(reference, "group", 1) == {"company": False, "employees": False}
    assert uses(reference, "page_checkout", 1) == {"step": True}
    assert uses(reference, "screen_cart", 1) == {"item_count": False}


def test_a_segment_plan_keeps_nested_objects_and_arrays_of_objects(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report, analysis = imported(clickgen_cli, "segment", SEGMENT_OBJECTS, tmp_path / "ref", "--allow-loss")
    reference = analysis.reference
    assert sorted(reference.events) == ["cart_viewed", "category_browsed", "checkout_started", "identify"]
    # the same $ref'd definition in two rules: one array field, one object field for its items
    assert uses(reference, "cart_viewed", 1) == {"cart_id": True, "customer": False, "products": True}
    assert uses(reference, "checkout_started", 1) == {"coupon": False, "products": True, "store": True}
    assert contract(reference, "products") == {"type": "array", "items": "product", "max_items": 100}
    assert contract(reference, "product") == {"type": "object", "properties": {"price": "required", "product_id": "required", "quantity": "optional"}}
    assert reference.fields["product"].description == "A product in the cart."
    shared = yaml.safe_load((tmp_path / "ref" / "fields" / "_shared.yaml").read_text("utf-8"))
    assert {"products", "product", "price", "product_id", "quantity"} <= set(shared)
    # one member key, two contracts: the second member is named after its object, with its key
    assert contract(reference, "customer") == {"type": "object", "properties": {"id": "required", "tier": "optional"}}
    assert contract(reference, "id") == {"type": "integer", "minimum": 1}
    assert contract(reference, "store") == {"type": "object", "properties": {"name": "optional", "store_id": "required"}}
    assert contract(reference, "store_id") == {"type": "string", "key": "id", "format": "uuid"}
    # a nullable object is an optional object field; traits may hold objects too
    assert contract(reference, "coupon") == {"type": "object", "properties": {"code": "required", "percent_off": "optional"}}
    assert contract(reference, "address") == {"type": "object", "properties": {"city": "required", "postal_code": "optional", "street": "optional"}}
    assert uses(reference, "identify", 1) == {"address": False, "email": True}
    # a cycle and a fifth level are lost where they occur; the rest of each object is kept
    assert contract(reference, "category") == {"type": "object", "properties": {"name": "required"}}
    assert contract(reference, "l3") == {"type": "array", "items": "l3_item"}
    assert contract(reference, "l4") == {"type": "object", "properties": {"name": "optional"}}
    lost = [(e["kind"], e["path"]) for e in entries(report) if e["severity"] == "lost"]
    assert lost == [("object-cycle", "properties/category/parent"), ("object-too-deep", "properties/l1/l2/l3/items/l4/l5")]
    assert "(through `#/definitions/category`)" in entries(report, "category_browsed")[0]["message"]
    approximated = {(e["kind"], e["path"]) for e in entries(report) if e["severity"] == "approximated"}
    assert approximated == {("open-object", "properties/store"), ("nullable", "properties/coupon")}


# --- JSON Schema ------------------------------------------------------------------------


def test_an_iglu_registry_gives_one_event_per_schema_with_its_schemavers_in_order(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report, analysis = imported(clickgen_cli, "jsonschema", IGLU, tmp_path / "ref", "--allow-loss")
    reference = analysis.reference
    assert sorted(reference.events) == ["checkout_step", "link_click", "other_link_click"]
    link = reference.events["link_click"]
    assert link.path == "events/com.acme/link_click.yaml"
    assert reference.events["other_link_click"].path == "events/io.other/other_link_click.yaml"
    assert [v.description for v in link.versions] == [f"SchemaVer {v} (schemas/com.acme/link_click/jsonschema/{v})." for v in ("1-0-0", "1-0-1", "2-0-0")]
    assert uses(reference, "link_click", 1) == {"element_id": False, "target_url": True}
    # 2-0-0 changes elementId's contract: another field of the same key, named after the version
    assert uses(reference, "link_click", 3) == {"element_classes": False, "element_id_v3": True, "element_target": False, "target_url": True}
    assert contract(reference, "element_id") == {"type": "string", "max_length": 255, "key": "elementId"}
    assert contract(reference, "element_id_v3") == {"type": "string", "max_length": 1024, "key": "elementId"}
    assert contract(reference, "target_url") == {"type": "string", "max_length": 4096, "key": "targetUrl", "format": "uri"}
    assert contract(reference, "other_link_click_target_url") == {"type": "string", "max_length": 2048, "key": "targetUrl"}
    # $refs into $defs and definitions, with the description beside the $ref
    assert contract(reference, "step") == {"type": "integer", "minimum": 1, "maximum": 8}
    assert reference.fields["step"].description == "Which step (1 = cart)."
    assert contract(reference, "subtotal") == contract(reference, "shipping") == {"type": "number", "minimum": 0.0, "maximum": 1000000.0}
    assert contract(reference, "country") == {"type": "string", "pattern": "[A-Z]{2}"}
    # nullable optional properties (type lists, anyOf with null, null in an enum)
    assert contract(reference, "coupon") == {"type": "string", "max_length": 32}
    assert contract(reference, "payment_method") == {"type": "string", "enum": ["card", "invoice", "paypal"], "key": "paymentMethod"}
    assert uses(reference, "checkout_step", 1)["errors"] is False  # required but nullable: optional, and lost
    nullable = {e["path"] for e in entries(report, "checkout_step") if e["kind"] == "nullable"}
    assert nullable == {"coupon", "paymentMethod", "giftWrap"}
    assert [e["path"] for e in entries(report, "checkout_step") if e["severity"] == "lost"] == ["errors"]
    assert {contract(reference, f)["format"] for f in ("step_time", "delivery_date", "server", "client_ip", "client_ip6")} == {"time", "date", "hostname", "ipv4", "ipv6"}
    assert [e["message"] for e in report["source_entries"]] == ["README.md is not a JSON Schema (*.json, or an Iglu path): not read"]


def test_plain_json_schemas_resolve_refs_across_the_folder_and_merge_allof(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report, analysis = imported(clickgen_cli, "jsonschema", PLAIN, tmp_path / "ref")
    reference = analysis.reference
    # common/definitions.json only holds definitions: no event
    assert sorted(reference.events) == ["batch", "order_completed"]
    assert reference.events["batch"].path == "events/tracking/batch.yaml"
    assert uses(reference, "batch", 1) == {}
    assert uses(reference, "order_completed", 1) == {
        "bad_length": False,  # minLength -1 is ignored
        "impossible": False,  # minimum above maximum: no bounds
        "items": False,
        "locale": False,
        "note": False,
        "order_id": True,
        "sent_at": True,
        "total": True,
        "user_id": False,
    }
    assert contract(reference, "user_id") == {"type": "integer", "minimum": 1, "key": "userId"}  # relative file $ref
    assert contract(reference, "locale") == {"type": "string", "pattern": "[a-z]{2}(-[A-Z]{2})?"}  # $ref by $id
    assert contract(reference, "items") == {"type": "integer", "minimum": 1}  # exclusiveMinimum 0
    total = contract(reference, "total")
    assert total["minimum"] == math.nextafter(0.0, 1.0) and total["maximum"] == math.nextafter(100000.0, 0.0)
    lost = {e["kind"]: e["path"] for e in entries(report, "order_completed") if e["severity"] == "lost"}
    assert lost["envelope-key"] == "event_id" and lost["invalid-key"] == '""' and lost["always-null"] == "always_null"
    assert lost["never-valid"] == "forbidden" and lost["empty-range"] == "impossible" and lost["invalid-schema"] == "bad_length"
    assert lost["untyped"] == "gone" and lost["object-cycle"] == "tree/child" and lost["empty-object"] == "tree"
    assert {"dynamic-keys", "object-keyword", "ref", "nullable-required"} <= set(lost)
    assert "not-an-object" in kinds(report, "batch")


def test_json_schemas_with_objects_give_object_fields_shared_by_ref(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report, analysis = imported(clickgen_cli, "jsonschema", OBJECTS, tmp_path / "ref", "--allow-loss")
    reference = analysis.reference
    assert sorted(reference.events) == ["category_browsed", "order_placed", "order_returned"]  # definitions.json is no event
    assert uses(reference, "order_placed", 1) == {
        "customer": True, "delivery_address": False, "discounts": False, "order_id": True, "order_placed_lines": True, "store": False
    }
    assert uses(reference, "order_returned", 1) == {"delivery_address": False, "lines": True, "order_id": True, "reason": True}
    # one $ref'd definition (by $id in one event, by relative path in the other): one field
    address = {"city": "required", "country_code": "required", "street": "optional"}
    assert contract(reference, "delivery_address") == {"type": "object", "key": "deliveryAddress", "properties": address}
    assert reference.fields["delivery_address"].description == "A postal address."
    # the same object under another key is another field with the same members
    assert contract(reference, "billing_address") == {"type": "object", "key": "billingAddress", "properties": address}
    assert contract(reference, "country_code") == {"type": "string", "pattern": "[A-Z]{2}", "key": "countryCode"}
    # two arrays (different bounds) of one item object; the item object is named after its definition
    assert contract(reference, "order_placed_lines") == {"type": "array", "items": "order_line", "min_items": 1, "max_items": 50, "key": "lines"}
    assert contract(reference, "lines") == {"type": "array", "items": "order_line", "min_items": 1}
    assert contract(reference, "order_line") == {"type": "object", "properties": {"quantity": "required", "sku": "required", "unit_price": "optional"}}
    assert contract(reference, "discounts") == {"type": "array", "items": "discount"}  # without a $ref: the singular of the array
    assert contract(reference, "discount") == {"type": "object", "properties": {"amount": "required", "code": "required"}}
    # nested required lists; one member key with two contracts
    assert contract(reference, "customer") == {"type": "object", "properties": {"billing_address": "required", "email": "optional", "id": "required"}}
    assert contract(reference, "id") == {"type": "integer", "minimum": 1}
    assert contract(reference, "store") == {"type": "object", "properties": {"region": "optional", "store_id": "required"}}
    assert contract(reference, "store_id") == {"type": "string", "key": "id", "format": "uuid"}
    # four levels are kept, the fifth is lost; a self-referring definition loses its cycle
    assert contract(reference, "aisle") == {"type": "object", "properties": {"label": "required", "section": "optional"}}
    assert contract(reference, "racks") == {"type": "array", "items": "rack"}
    assert contract(reference, "bin") == {"type": "object", "properties": {"label": "optional"}}
    assert contract(reference, "category") == {"type": "object", "properties": {"name": "required"}}
    # members beside a map, an envelope key and an untyped member are dropped, the rest kept; allOf of objects is one object
    assert contract(reference, "filters") == {"type": "object", "properties": {"in_stock": "optional"}}
    assert contract(reference, "tracking") == {"type": "object", "properties": {"page": "optional"}}
    assert contract(reference, "viewport") == {"type": "object", "properties": {"height": "required", "width": "optional"}}
    assert "meta" not in uses(reference, "category_browsed", 1)
    lost = [(e["kind"], e["path"]) for e in entries(report) if e["severity"] == "lost"]
    assert lost == [
        ("object-cycle", "category/parent"),
        ("object-too-deep", "aisle/section/racks/items/bin/slot"),
        ("dynamic-keys", "filters"),
        ("envelope-key", "tracking/event_id"),
        ("untyped", "meta/anything"),
        ("empty-object", "meta"),
    ]
    approximated = {(e["kind"], e["path"]) for e in entries(report) if e["severity"] == "approximated"}
    assert approximated == {("open-object", "store"), ("nullable", "customer/email")}


def test_schemas_written_by_clickgen_schema_give_back_events_environments_and_ids(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report, analysis = imported(clickgen_cli, "jsonschema", EXPORTED, tmp_path / "ref", "--allow-loss")
    reference = analysis.reference
    assert reference.settings.name == "shop"
    assert {n: e.source_id for n, e in reference.environments.items()} == {"app": 5, "web": 2}
    assert {n: e.id for n, e in reference.events.items()} == {"page_view": 7, "signup": 3}
    # what web adds to each of its events is web's common field
    assert [(u.name, u.required) for u in reference.environments["web"].common_fields] == [("session_id", True)]
    assert uses(reference, "page_view", 1) == {"page": True, "referrer": False}
    assert reference.events["signup"].environments == ("web",)
    assert [e["kind"] for e in entries(report)] == ["per-environment"]  # referrer is web's only, not common


def test_the_fixtures_meet_every_kind_of_loss(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    met: set[str] = set()
    sources = [("segment", SEGMENT_CONFIG), ("segment", SEGMENT_PUBLIC), ("segment", SEGMENT_OBJECTS), ("jsonschema", IGLU), ("jsonschema", PLAIN), ("jsonschema", EXPORTED), ("jsonschema", OBJECTS)]
    for i, (kind, source) in enumerate(sources):
        report, _ = imported(clickgen_cli, kind, source, tmp_path / str(i), "--allow-loss")
        met |= kinds(report)
        for kind_name, info in report["kinds"].items():
            assert info["severity"] == KINDS[kind_name][0].value
    assert met == set(KINDS)


def test_docs_list_every_kind_with_its_severity() -> None:
    rows = {line.split("|")[1].strip(" `"): line.split("|")[2].strip() for line in (ROOT / "docs" / "import.md").read_text("utf-8").splitlines() if line.startswith("| `")}
    kinds_table = {kind: severity for kind, severity in rows.items() if severity in {s.value for s in Severity}}
    assert kinds_table == {kind: severity.value for kind, (severity, _) in KINDS.items()}


def test_the_report_lists_each_event_with_counts_by_kind(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run_import(clickgen_cli, "segment", SEGMENT_CONFIG, tmp_path / "ref")
    text = (tmp_path / "ref" / "IMPORT_REPORT.md").read_text("utf-8")
    assert "| `dynamic-keys` | lost | 1 | a map with dynamic keys (additionalProperties schema, patternProperties, propertyNames): not imported |" in text
    assert (
        "### `product_viewed`\n\nFrom `Product Viewed`, in `events/product_viewed.yaml`: 10 lost, 2 approximated, 4 converted "
        "(`combinator` 1, `dynamic-keys` 1, `enum` 1, `enum-as-range` 1, `example-dropped` 1, `exclusive-bound` 2, `format` 1, "
        "`free-form-object` 1, `multiple-of` 1, `nullable` 1, `pattern` 1, `pattern-contains` 1, `union-type` 1, `untyped` 2)."
    ) in text
    assert "- lost `dynamic-keys` v1 `properties/attributes`: a map with dynamic keys: not imported" in text
    assert "- lost `duplicate-rule` v2 (3): version 3 appears twice; the first is kept" in text
    assert "## Imported as they are\n\n- `identify` (from `identify`)" in text


# --- command line ------------------------------------------------------------------------


def test_exit_codes(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lossy = run_import(clickgen_cli, "segment", SEGMENT_CONFIG, tmp_path / "a")
    assert lossy.exit_code == 1
    assert "lost dynamic-keys: product_viewed v1 properties/attributes: a map with dynamic keys: not imported" in lossy.stdout
    assert "pass --allow-loss to accept the losses" in lossy.stderr
    assert (tmp_path / "a" / "clickgen.yaml").is_file()  # written anyway, for review
    assert run_import(clickgen_cli, "segment", SEGMENT_CONFIG, tmp_path / "b", "--allow-loss").exit_code == 0
    assert run_import(clickgen_cli, "segment", SEGMENT_PUBLIC, tmp_path / "c").exit_code == 0
    # a folder that holds anything is refused, and nothing in it changes
    refused = run_import(clickgen_cli, "segment", SEGMENT_PUBLIC, tmp_path / "a", "--allow-loss")
    assert refused.exit_code == 2 and "is not an empty folder" in refused.stderr
    (tmp_path / "file").write_text("x")
    assert run_import(clickgen_cli, "segment", SEGMENT_PUBLIC, tmp_path / "file").exit_code == 2
    (tmp_path / "empty").mkdir()
    assert run_import(clickgen_cli, "segment", SEGMENT_PUBLIC, tmp_path / "empty").exit_code == 0
    for bad_option in (["--env", "Bad_Env"], ["--name", "Not A Name"], ["--owner", " "]):
        result = run_import(clickgen_cli, "segment", SEGMENT_PUBLIC, tmp_path / "d", *bad_option)
        assert result.exit_code == 2 and not (tmp_path / "d").exists(), result.stderr


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"rules": {"events": [\n  {"name": "A",}\n]}}', "plan.json:2:16: not valid JSON: Expecting property name enclosed in double quotes"),
        ('{"rules": [],\n "x": NaN}', "plan.json:2:7: not valid JSON: NaN is not a JSON number"),
        ('{"type": 1, "rules": {"events": [{"name": "a", "type": 2, "name": "b"}]}}', "plan.json:1:59: not valid JSON: an object repeats the key \"name\""),
        ('{"events": 3}', "plan.json:1:1: not a Segment tracking plan"),
        ("[1, 2]", "plan.json: #/0 is not an event rule with a `name`"),
        ('{"rules": {"events": 7}}', "plan.json: `rules.events` is not a list"),
        ("[" * 100_000, "plan.json:1:1: not valid JSON: nested too deeply"),
    ],
)
def test_unreadable_segment_plans_exit_2_with_the_position(clickgen_cli, tmp_path: Path, text: str, message: str) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "plan.json").write_text(text, "utf-8")
    result = run_import(clickgen_cli, "segment", tmp_path / "plan.json", tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"clickgen: error: {message}"), result.stderr
    assert not (tmp_path / "out").exists()


def test_unreadable_json_schemas_exit_2_naming_the_file(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "schemas"
    (source / "com.acme" / "x" / "jsonschema").mkdir(parents=True)
    (source / "ok.json").write_text('{"type": "object"}')
    (source / "com.acme" / "x" / "jsonschema" / "1-0-0").write_bytes(b'{"type":\n "obj\xffect"}')
    result = run_import(clickgen_cli, "jsonschema", source, tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr.startswith("clickgen: error: com.acme/x/jsonschema/1-0-0:2:6: not UTF-8 text"), result.stderr
    missing = run_import(clickgen_cli, "jsonschema", tmp_path / "nothing", tmp_path / "out")
    assert missing.exit_code == 2 and "no such file or folder" in missing.stderr


def test_a_single_schema_file_is_one_event(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "Sign-Up Completed.json").write_text('{"type": "object", "properties": {"plan": {"type": "string"}}, "required": ["plan"]}')
    _, analysis = imported(clickgen_cli, "jsonschema", tmp_path / "Sign-Up Completed.json", tmp_path / "out")
    assert uses(analysis.reference, "sign_up_completed", 1) == {"plan": True}


def test_exclusive_bounds_beyond_the_largest_double_leave_no_value(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The next double after the largest one is infinity: no number is valid, which is reported (not written as .inf)."""
    properties = {"low": {"type": "number", "exclusiveMinimum": 1.7976931348623157e308}, "high": {"type": "number", "minimum": 0, "exclusiveMaximum": -1.7976931348623157e308}}
    (tmp_path / "e.json").write_text(json.dumps({"type": "object", "properties": {**properties, "ok": {"type": "number"}}}))
    report, analysis = imported(clickgen_cli, "jsonschema", tmp_path / "e.json", tmp_path / "out", "--allow-loss")
    assert contract(analysis.reference, "low") == contract(analysis.reference, "high") == {"type": "number"}
    assert sorted((e["kind"], e["path"]) for e in entries(report) if e["severity"] == "lost") == [("empty-range", "high"), ("empty-range", "low")]


def test_json_output_is_the_report(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_import(clickgen_cli, "jsonschema", IGLU, tmp_path / "out", "--format", "json", "--allow-loss", "--name", "acme", "--owner", "web-team")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["out"] == str(tmp_path / "out")
    assert (report["events"], report["versions"], report["fields"]) == (3, 5, 19)
    assert report["counts"] == {"lost": 1, "approximated": 8, "converted": 0}
    assert sum(k["count"] for k in report["kinds"].values()) == 9
    analysis = analyze_folder(tmp_path / "out")
    assert analysis.reference.settings.name == "acme"
    assert {e.owner for e in analysis.reference.events.values()} == {"web-team"}


def test_the_same_input_gives_the_same_bytes(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for source, kind in ((SEGMENT_CONFIG, "segment"), (IGLU, "jsonschema")):
        run_import(clickgen_cli, kind, source, tmp_path / f"{kind}1")
        run_import(clickgen_cli, kind, source, tmp_path / f"{kind}2")
        first, second = tmp_path / f"{kind}1", tmp_path / f"{kind}2"
        files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
        assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


# --- names ------------------------------------------------------------------------------

HOSTILE_KEYS = [
    "eventId", "event_time_us", "$type", "a.b", "A B", "user_id", "userId", "class", "string", "string_field",
    "validate", "1st", "ünïcode", "Ключ", "a_1", "a1", "__", "x" * 90, "self", "type", "Type", "TYPE",
]


def test_field_names_are_valid_and_distinct_in_every_language_whatever_the_keys(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    properties = {key: {"type": "string", "enum": ["a", "b"]} if i % 3 == 0 else {"type": "integer"} for i, key in enumerate(HOSTILE_KEYS)}
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "list.json").write_text(json.dumps({"type": "object", "properties": properties, "required": HOSTILE_KEYS}))
    (tmp_path / "src" / "List.json").write_text(json.dumps({"type": "object", "properties": {"string": {"type": "boolean"}}}))
    report, analysis = imported(clickgen_cli, "jsonschema", tmp_path / "src", tmp_path / "out")
    reference = analysis.reference
    assert [e["path"] for e in entries(report) if e["severity"] == "lost"] == ["event_time_us"]
    wire_keys = {f.wire_key for f in reference.fields.values()}
    assert wire_keys == set(HOSTILE_KEYS) - {"event_time_us"}
    assert all(not name in ENVELOPE_KEYS and len(name) <= 64 for name in reference.fields)
    by_key = {f.wire_key: name for name, f in reference.fields.items()}
    assert by_key["eventId"] == "list_2_event_id"  # not `event_id`, an envelope key; `list` is List.json's
    assert by_key["userId"] == "list_2_user_id" and by_key["user_id"] == "user_id"
    assert sorted(reference.events) == ["list", "list_2"]


def test_object_types_never_share_a_name_with_event_types_or_each_other(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`cartV1` would give the object type CartV1, the Python and Go type of event `cart` version 1."""
    member = {"type": "object", "properties": {"a": {"type": "string"}}}
    (tmp_path / "cart.json").write_text(json.dumps({"type": "object", "properties": {"cartV1": member, "client": member, "x_y": {"type": "array", "items": member}}}))
    _, analysis = imported(clickgen_cli, "jsonschema", tmp_path / "cart.json", tmp_path / "out")
    assert sorted(analysis.reference.fields) == ["a", "cart_cart_v1", "client", "x_y", "x_y_item"]
    assert analysis.reference.fields["cart_cart_v1"].key == "cartV1"


@pytest.mark.parametrize(
    "array, item",
    [("cart_lines", "cart_line"), ("searchResults", "search_result"), ("categories", "category"), ("boxes", "box"), ("addresses", "address"),
     ("data", "data_item"), ("status", "status_item"), ("address", "address_item"), ("s", "s_item")],
)
def test_an_array_s_item_object_is_named_in_the_singular(array: str, item: str) -> None:
    assert singular(array) == item


# --- langpacks from imported references ---------------------------------------------------

GO = shutil.which("go")
PHPUNIT = shutil.which("phpunit")
GO_ENV = {**os.environ, "GOFLAGS": "-mod=mod", "GOPROXY": "off", "GOTOOLCHAIN": "local", "GOSUMDB": "off", "GOWORK": "off"}


def _run(command: list[Any], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True, env=env, timeout=900, stdin=subprocess.DEVNULL)


PHP = shutil.which("php")


def _built(clickgen_cli, reference: Path, out: Path) -> Path:  # type: ignore[no-untyped-def]
    languages = ["--lang", "python"] + (["--lang", "go"] if GO else []) + (["--lang", "php"] if PHP else [])
    built = clickgen_cli("--reference", reference, "build", "--out", out, *languages)
    assert built.exit_code == 0, built.stderr
    return out / "default"


@pytest.mark.parametrize("kind, source", [("segment", SEGMENT_CONFIG), ("segment", SEGMENT_PUBLIC), ("segment", SEGMENT_OBJECTS), ("jsonschema", IGLU), ("jsonschema", OBJECTS)])
def test_imported_references_build_in_every_language(clickgen_cli, tmp_path: Path, kind: str, source: Path) -> None:  # type: ignore[no-untyped-def]
    """The generated code compiles (python, go vet) and lints (php -l).

    The langpacks' own tests are run below on an import without `key:` and `format:`:
    the targets do not implement those two yet (their vectors use wire keys and formats).
    """
    run_import(clickgen_cli, kind, source, tmp_path / "ref", "--allow-loss")
    langpacks = _built(clickgen_cli, tmp_path / "ref", tmp_path / "build")
    compiled = _run([sys.executable, "-m", "compileall", "-q", "src", "tests"], langpacks / "python")
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    if GO:
        vetted = _run([GO, "vet", "./..."], langpacks / "go", GO_ENV)
        assert vetted.returncode == 0, vetted.stdout + vetted.stderr
    if PHP:
        for path in sorted((langpacks / "php").rglob("*.php")):
            linted = _run([PHP, "-l", path], langpacks / "php")
            assert linted.returncode == 0, linted.stdout + linted.stderr


KEYLESS = {
    "type": "object",
    "required": ["code", "price", "kind", "buyer"],
    "properties": {
        "code": {"type": "string", "pattern": "^[A-Z]{2}-[0-9]{2,4}$", "maxLength": 7},
        "note": {"type": "string", "pattern": "SUMMER|WINTER"},
        "ratio": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
        "price": {"type": "number", "minimum": 0.01, "maximum": 1e9},
        "count": {"type": "integer", "exclusiveMinimum": -5, "maximum": 9007199254740993},
        "kind": {"type": "string", "enum": ["a-b", "a_b", "c"]},
        "size": {"type": "string", "enum": ["S", "M", "L", ""]},
        "tags": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]+$"}, "minItems": 1, "maxItems": 3},
        "scores": {"type": "array", "items": {"type": "integer", "enum": [1, 2, 3]}},
        "line": {"type": "string", "pattern": "^a.b$"},
        "flag": {"type": ["boolean", "null"]},
        "buyer": {
            "type": "object",
            "properties": {
                "buyer_id": {"type": "integer", "minimum": 1},
                "segment": {"type": "string", "enum": ["new", "returning"]},
                "home": {"type": "object", "properties": {"city": {"type": "string", "minLength": 1}, "zip": {"type": "string", "pattern": "^[0-9]{5}$"}}, "required": ["city"]},
            },
            "required": ["buyer_id"],
        },
        "lines": {
            "type": "array",
            "maxItems": 3,
            "items": {
                "type": "object",
                "properties": {"sku": {"type": "string", "maxLength": 8}, "qty": {"type": "integer", "exclusiveMinimum": 0}, "price": {"type": "number", "minimum": 0.01, "maximum": 1e9}},
                "required": ["sku", "qty"],
            },
        },
    },
}


def test_langpacks_of_an_import_pass_their_own_tests(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Imported contracts (translated patterns, exact exclusive bounds, enums as patterns,
    objects nested two deep and an array of objects) mean the same in Python, Go and PHP:
    each langpack's own vector tests pass."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "order_paid.json").write_text(json.dumps(KEYLESS))
    _, analysis = imported(clickgen_cli, "jsonschema", tmp_path / "src", tmp_path / "ref", "--allow-loss")
    assert all(f.key is None and f.format is None for f in analysis.reference.fields.values())
    # the singular `line` is a property's name already: the items' object is named after the array
    assert contract(analysis.reference, "lines") == {"type": "array", "items": "lines_item", "max_items": 3}
    assert contract(analysis.reference, "lines_item") == {"type": "object", "properties": {"price": "optional", "qty": "required", "sku": "required"}}
    # an environment without common fields, in both Python generations
    with (tmp_path / "ref" / "environments" / "default.yaml").open("a") as env:
        env.write("generations: {python: [1, 2], go: [1], php: [1]}\n")
    langpacks = _built(clickgen_cli, tmp_path / "ref", tmp_path / "build")
    for folder in ("python", "python-gen2"):
        python = _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], langpacks / folder, {**os.environ, "PYTHONPATH": "src"})
        assert python.returncode == 0 and " passed" in python.stdout, python.stdout[-3000:] + python.stderr[-2000:]
    if GO:
        go = _run([GO, "test", "-count=1", "./..."], langpacks / "go", GO_ENV)
        assert go.returncode == 0, go.stdout[-3000:] + go.stderr[-2000:]
    if PHPUNIT:
        php = _run([PHPUNIT, "--colors=never"], langpacks / "php")
        assert php.returncode == 0, php.stdout[-3000:] + php.stderr[-2000:]


# --- properties: random input --------------------------------------------------------------

_KEYWORDS = [
    "type", "properties", "required", "items", "enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "minLength", "maxLength", "pattern", "format", "minItems", "maxItems", "uniqueItems", "multipleOf", "additionalProperties",
    "patternProperties", "allOf", "anyOf", "oneOf", "not", "$ref", "$defs", "definitions", "description", "examples", "self",
]
_TYPES = st.sampled_from(["string", "integer", "number", "boolean", "array", "object", "null", "nope"])
# any text, lone surrogates included (JSON escapes can hold them: "\ud800")
_texts = st.text(st.characters(blacklist_categories=()), max_size=6)
_scalars = st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.floats(allow_nan=False, allow_infinity=False) | _texts
_json = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3), max_leaves=8)
_patterns = st.sampled_from(["^a+$", "a|b", "(?=x)", "[", "\\d{2,3}", "^[$]$", "\\bx", ".", "", "^$", "a{2,1}", "\\u00e9", "[^\\s]+"])
_refs = st.sampled_from(["#/$defs/a", "#/definitions/b", "#", "#/properties", "other.json#/x", "https://x.test/y", "#/$defs/missing", "#anchor"])


def _schema_value(keyword: str, inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    if keyword == "type":
        return _TYPES | st.lists(_TYPES, max_size=3)
    if keyword in ("properties", "$defs", "definitions", "patternProperties"):
        return st.dictionaries(st.sampled_from(["a", "b", "userId", "", "event_id", "x y"]) | st.text(max_size=4), inner, max_size=4)
    if keyword in ("allOf", "anyOf", "oneOf"):
        return st.lists(inner, max_size=3)
    if keyword in ("items", "not", "additionalProperties"):
        return inner | st.booleans()
    if keyword == "pattern":
        return _patterns | st.text(max_size=5)
    if keyword == "$ref":
        return _refs
    if keyword == "required":
        return st.lists(st.sampled_from(["a", "b", "userId", "c"]), max_size=3) | _json
    if keyword == "format":
        return st.sampled_from(["email", "uuid", "date-time", "duration", "regex"]) | _json
    return _json


_schemas = st.recursive(
    st.booleans() | st.fixed_dictionaries({}, optional={"type": _TYPES}),
    lambda inner: st.lists(st.sampled_from(_KEYWORDS), max_size=5, unique=True).flatmap(
        lambda keys: st.fixed_dictionaries({k: _schema_value(k, inner) for k in keys})
    ),
    max_leaves=12,
)
_numbers = st.integers(min_value=-(2**65), max_value=2**65) | st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from([0, 1, 0.5, -1, 2**63, -(2**63)])
_optional = st.none()


def _typed(kind: str, inner: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A property schema of one type with plausible (sometimes wrong) keywords."""
    common: dict[str, st.SearchStrategy[Any]] = {"description": _texts, "examples": st.lists(_scalars, max_size=3)}
    typed = st.sampled_from([kind, kind, kind, [kind, "null"], [kind], None])
    if kind == "string":
        extra = {
            "minLength": st.integers(-1, 6), "maxLength": st.integers(0, 8), "pattern": _patterns,
            "format": st.sampled_from(["email", "uuid", "date-time", "date", "ipv4", "duration", "uri"]),
            "enum": st.lists(_texts | st.none() | st.integers(0, 3), min_size=1, max_size=4), "const": _texts,
        }
    elif kind in ("integer", "number"):
        extra = {
            "minimum": _numbers, "maximum": _numbers, "exclusiveMinimum": _numbers | st.booleans(), "exclusiveMaximum": _numbers | st.booleans(),
            "multipleOf": st.sampled_from([1, 2, 0.5, 0.01, 0, -1]), "enum": st.lists(_numbers | st.none(), min_size=1, max_size=4), "const": _numbers,
        }
    elif kind == "boolean":
        extra = {"enum": st.lists(st.booleans() | st.none(), min_size=1, max_size=3), "const": st.booleans()}
    elif kind == "array":
        extra = {"items": inner | st.booleans() | st.lists(inner, max_size=2), "minItems": st.integers(-1, 4), "maxItems": st.integers(0, 4), "uniqueItems": st.booleans()}
    else:
        extra = {
            "properties": st.dictionaries(st.text(max_size=4), inner, max_size=3), "additionalProperties": st.booleans() | inner,
            "required": st.lists(st.text(max_size=4), max_size=2),
        }
    keys = st.lists(st.sampled_from(sorted({**common, **extra})), max_size=4, unique=True)
    return st.tuples(typed, keys).flatmap(
        lambda pair: st.fixed_dictionaries({k: {**common, **extra}[k] for k in pair[1]}).map(
            lambda d, t=pair[0]: d if t is None else {"type": t, **d}
        )
    )


_properties = st.recursive(
    st.sampled_from(["string", "integer", "number", "boolean"]).flatmap(lambda k: _typed(k, st.just({}))),
    lambda inner: st.sampled_from(["string", "integer", "number", "boolean", "array", "object"]).flatmap(lambda k: _typed(k, inner))
    | inner.map(lambda member: {"anyOf": [member, {"type": "null"}]})
    | inner.map(lambda p: {"allOf": [p]})
    | st.sampled_from([{"$ref": "#/$defs/a"}, {"$ref": "#/$defs/a", "description": "d"}, {"$ref": "#/definitions/nope"}, True, False]),
    max_leaves=6,
)
_keys = _texts | st.sampled_from(HOSTILE_KEYS)
_objects = st.fixed_dictionaries(
    {"type": st.just("object"), "properties": st.dictionaries(_keys, _properties, min_size=1, max_size=6)},
    optional={"required": st.lists(_keys, max_size=4), "$defs": st.fixed_dictionaries({"a": _properties}), "additionalProperties": st.booleans() | _properties},
)
_documents = _objects | _objects | _schemas.map(lambda s: {"type": "object", "properties": s} if isinstance(s, dict) and "properties" not in s and s else s) | _json


def _validate_in_memory(files: dict[str, bytes]) -> Analysis:
    return analyze(MemorySource(files))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(documents=st.lists(_documents, min_size=1, max_size=3), iglu=st.booleans())
def test_random_json_schemas_never_crash_the_importer_and_always_validate(documents: list[Any], iglu: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for i, document in enumerate(documents):
            path = root / "com.acme" / f"e{i % 2}" / "jsonschema" / f"1-0-{i}" if iglu else root / f"event {i}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(document), "utf-8")
        try:
            plan = import_jsonschema(root)
        except ImportProblem:
            return  # the top level is not a JSON object: reported, exit 2
        result = build_reference(plan, command="clickgen import jsonschema")
    analysis = _validate_in_memory(result.files)
    assert analysis.ok, [str(d) for d in analysis.diagnostics] + [result.files[p].decode() for p in sorted(result.files) if p.startswith("fields/")]
    assert result.lost == sum(1 for loss in plan.all_losses() if loss.severity is Severity.LOST)


_rule = st.fixed_dictionaries(
    {"name": _texts, "rules": _objects.map(lambda s: {"properties": {"properties": s, "context": {}}}) | _documents},
    optional={"version": _json, "description": _json, "labels": st.dictionaries(_texts, _scalars, max_size=2)},
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=st.lists(_rule, max_size=4), public=st.booleans())
def test_random_segment_plans_never_crash_the_importer_and_always_validate(rules: list[dict[str, Any]], public: bool) -> None:
    if public:
        document: Any = {"rules": [{"type": "TRACK", "key": r["name"], "version": r.get("version", 1), "jsonSchema": r["rules"]} for r in rules]}
    else:
        document = {"display_name": "Random", "rules": {"events": rules, "identify": {"properties": {"traits": rules[0]["rules"] if rules else {}}}}}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.json"
        path.write_text(json.dumps(document), "utf-8")
        try:
            plan = import_segment(path)
        except ImportProblem:
            return
        result = build_reference(plan, environments=("web",), command="clickgen import segment")
    analysis = _validate_in_memory(result.files)
    assert analysis.ok, [str(d) for d in analysis.diagnostics]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=60) | st.text(max_size=60).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_bytes_are_json_or_a_positioned_problem(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.json"
        path.write_bytes(data)
        try:
            import_segment(path)
        except ImportProblem as e:
            assert str(e).startswith("plan.json")


# --- property: a round trip through `clickgen schema` ---------------------------------------

_WORDS = ["user", "id", "price", "name", "kind", "count", "flag", "tags", "at", "url"]
_SAFE = "abcXYZ019 _-.é"
_literal = st.sampled_from(list("abcXYZ09_-é/ ") + ["\\.", "\\*", "\\(", "\\^", "[$]", "\\{"])
# classes as the importer writes them: `-` escaped, except as the last of several members
_class = st.lists(st.sampled_from(["a-z", "A-Z", "0-9", "_", "\\-", ".", "é", "\\]"]), min_size=1, max_size=3, unique=True).map(
    lambda items: "[" + "".join(items[:-1]) + ("-" if items[-1] == "\\-" and len(items) > 1 else items[-1]) + "]"
)
_quantifier = st.sampled_from(["", "", "?", "*", "+", "{2}", "{1,3}", "{2,}"])


def _pattern_strategy() -> st.SearchStrategy[str]:
    atom = st.recursive(
        _literal | _class,
        lambda inner: st.lists(st.tuples(inner, _quantifier).map("".join), min_size=1, max_size=3).map(lambda parts: "(" + "".join(parts) + ")")
        | st.lists(inner, min_size=2, max_size=3).map(lambda parts: "(" + "|".join(parts) + ")"),
        max_leaves=4,
    )
    branch = st.lists(st.tuples(atom, _quantifier).map("".join), min_size=1, max_size=4).map("".join)
    return st.lists(branch, min_size=1, max_size=2).map("|".join)


@st.composite
def _fields(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["string", "integer", "number", "boolean", "array"]))
    out: dict[str, Any] = {"type": kind}
    element = draw(st.sampled_from(["string", "integer", "number", "boolean"])) if kind == "array" else kind
    if kind == "array":
        out["items"] = element
        low = draw(st.none() | st.integers(0, 3))
        if low is not None:
            out["min_items"] = low
        if draw(st.booleans()):
            out["max_items"] = draw(st.integers(low or 0, 6))
    if draw(st.booleans()):
        out["key"] = draw(st.text(_SAFE + "$.", min_size=1, max_size=8))
    if element == "string":
        choice = draw(st.sampled_from(["enum", "lengths", "pattern", "format", "none"]))
        if choice == "enum":
            out["enum"] = draw(st.lists(st.text("abcxyz_1", min_size=1, max_size=4), min_size=1, max_size=4, unique=True))
        elif choice == "lengths":
            low = draw(st.integers(0, 5))
            out["min_length"] = low
            out["max_length"] = draw(st.integers(low, 20))
        elif choice == "pattern":
            out["pattern"] = draw(_pattern_strategy())
        elif choice == "format":
            out["format"] = draw(st.sampled_from(["date-time", "date", "time", "uuid", "email", "hostname", "ipv4", "ipv6", "uri"]))
    elif element == "integer":
        bounds = sorted(draw(st.lists(st.integers(INT64_MIN, INT64_MAX), min_size=2, max_size=2)))
        if draw(st.booleans()):
            out["minimum"] = bounds[0]
        if draw(st.booleans()):
            out["maximum"] = bounds[1]
    elif element == "number":
        bounds = sorted(draw(st.lists(st.floats(-1e300, 1e300, allow_nan=False), min_size=2, max_size=2)))
        if draw(st.booleans()):
            out["minimum"] = bounds[0]
        if draw(st.booleans()):
            out["maximum"] = bounds[1]
    return out


@st.composite
def _objects_of(draw: st.DrawFn, fields: dict[str, Any]) -> None:
    """Up to three object fields over the fields so far (a later one may hold an earlier
    one: objects nest), some with an array of them; added to `fields`."""
    for number in range(draw(st.integers(0, 3))):
        members = draw(st.lists(st.sampled_from(sorted(fields)), min_size=1, max_size=3, unique=True))
        name = f"object_{number}"
        fields[name] = {"type": "object", "properties": {m: draw(st.sampled_from(["required", "optional"])) for m in members}}
        if draw(st.booleans()):
            fields[name]["key"] = draw(st.text(_SAFE, min_size=1, max_size=8))
        if draw(st.booleans()):
            array: dict[str, Any] = {"type": "array", "items": name}
            if draw(st.booleans()):
                array["max_items"] = draw(st.integers(0, 6))
            fields[f"object_{number}_list"] = array


@st.composite
def _references(draw: st.DrawFn) -> dict[str, bytes]:
    names = draw(st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_WORDS)).map("_".join), min_size=1, max_size=7, unique=True))
    fields = {name: draw(_fields()) for name in names}
    draw(_objects_of(fields))
    names = list(fields)
    environments = draw(st.lists(st.sampled_from(["web", "ios-app", "backend"]), min_size=1, max_size=2, unique=True))
    files = {
        "clickgen.yaml": b"name: roundtrip\n",
        "fields/f.yaml": yaml.safe_dump(fields, allow_unicode=True).encode(),
    }
    for i, env in enumerate(environments, start=1):
        common = {n: draw(st.sampled_from(["required", "optional"])) for n in draw(st.lists(st.sampled_from(names), max_size=2, unique=True))}
        files[f"environments/{env}.yaml"] = yaml.safe_dump({"name": env, "source_id": i * 10, "common_fields": common, "langpacks": ["python"]}).encode()
    for number in range(1, draw(st.integers(1, 3)) + 1):
        versions = {}
        for v in range(1, draw(st.integers(1, 2)) + 1):
            chosen = draw(st.lists(st.sampled_from(names), max_size=4, unique=True))
            versions[v] = {"fields": {n: draw(st.sampled_from(["required", "optional"])) for n in chosen}}
        in_envs = draw(st.lists(st.sampled_from(environments), min_size=1, unique=True))
        event = {"event": f"event_{number}", "id": number * 100, "owner": "me", "environments": in_envs, "versions": versions}
        files[f"events/event_{number}.yaml"] = yaml.safe_dump(event).encode()
    return files


def _wire(reference: Reference) -> dict[tuple[str, str, int], dict[str, tuple[Any, bool]]]:
    """Per environment, event and version: wire key -> (the check plan, required); an
    object's plan is its members' (by wire key), whatever the object fields' names."""

    def normal(field: Any) -> Any:
        plan = plan_field(field)
        target = field.object_field
        if target is not None:
            members = sorted(((u.field.wire_key, normal(u.field), u.required) for u in target.properties), key=lambda m: m[0])
            return (plan.key, plan.array, tuple(members), plan.min_items or None, plan.max_items)
        item = dataclasses.replace(plan.item, min_length=plan.item.min_length or None)  # a minimum of 0 is no minimum
        if item.kind is FieldType.INTEGER:  # 64-bit limits are no limits
            item = dataclasses.replace(item, minimum=None if item.minimum == INT64_MIN else item.minimum, maximum=None if item.maximum == INT64_MAX else item.maximum)
        if item.pattern is not None:  # a pattern is compared by what it means: its one rendering
            item = dataclasses.replace(item, pattern=iregexp.for_targets(item.pattern).to_ecma())
        return (plan.key, plan.array, item, plan.min_items or None, plan.max_items)

    out = {}
    for env in reference.environments.values():
        for event in env.events:
            for version in event.versions:
                seen = {u.field.wire_key: (normal(u.field), u.required) for u in version.fields}
                for use in env.common_fields:
                    seen[use.field.wire_key] = (normal(use.field), use.required)
                out[(env.name, event.name, version.number)] = seen
    return out


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
@given(files=_references())
def test_a_reference_exported_with_clickgen_schema_imports_back_to_the_same_contracts(files: dict[str, bytes]) -> None:
    original = analyze(MemorySource(files))
    assume(original.ok)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for path, schema in export(original.reference).items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(json.dumps(schema, ensure_ascii=False), "utf-8")
        plan = import_jsonschema(root)
    result = build_reference(plan, command="clickgen import jsonschema")
    assert result.report["counts"] == {"lost": 0, "approximated": 0, "converted": 0}, result.report
    back = analyze(MemorySource(result.files))
    assert back.ok, [str(d) for d in back.diagnostics]
    assert _wire(back.reference) == _wire(original.reference)
    ids = {e.name: e.id for e in back.reference.events.values()}
    assert all(ids[e.name] == e.id for e in original.reference.events.values() if e.environments and e.name in ids)


def test_the_example_reference_round_trips_through_clickgen_schema(tmp_path: Path, clickgen_cli) -> None:  # type: ignore[no-untyped-def]
    """Every contract comes back, object fields and arrays of objects included."""
    assert clickgen_cli("--reference", EXAMPLE, "schema", "--out", tmp_path / "schemas").exit_code == 0
    report, back = imported(clickgen_cli, "jsonschema", tmp_path / "schemas", tmp_path / "ref")
    original = analyze_folder(EXAMPLE).reference
    assert report["counts"] == {"lost": 0, "approximated": 0, "converted": 0}
    assert any(f.object_field is not None for f in original.fields.values())
    assert _wire(back.reference) == _wire(original)
    # the object fields and the item objects of arrays (named after the array) come back by name
    objects = {n: f.contract() for n, f in original.fields.items() if f.object_field is not None}
    assert {n: f.contract() for n, f in back.reference.fields.items() if f.object_field is not None} == objects
    assert {n: e.id for n, e in back.reference.events.items()} == {n: e.id for n, e in original.events.items()}
    assert {n: e.source_id for n, e in back.reference.environments.items()} == {n: e.source_id for n, e in original.environments.items()}
    # common fields come back as common fields where an event shared with another environment
    # shows them (elsewhere they are indistinguishable from the events' own)
    common = {n: {u.field.wire_key for u in e.common_fields} for n, e in back.reference.environments.items()}
    assert all(common[n] <= {u.field.wire_key for u in e.common_fields} for n, e in original.environments.items())
    assert sum(map(len, common.values())) >= 10


# --- patterns ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source, written",
    [
        ("^[a-z]+$", "[a-z]+"),
        ("^(?:[A-Z0-9]{4,12})$", "[A-Z0-9]{4,12}"),
        ("^(?:a|b)$", "a|b"),
        ("^(?:(a|b))$", "(a|b)"),
        ("^a$|^b$", "a|b"),
        ("abc", "(.|\\n|\\r)*abc(.|\\n|\\r)*"),
        ("^abc", "abc(.|\\n|\\r)*"),
        ("a|b$", "(.|\\n|\\r)*a(.|\\n|\\r)*|(.|\\n|\\r)*b"),
        ("^\\d+\\.\\d{2}$", "[0-9]+\\.[0-9]{2}"),
        ("^\\w*$", "[0-9A-Z_a-z]*"),
        ("^x\\$$", "x[$]"),
        ("^a.b$", "a[^\\n\\r\u2028\u2029]b"),
        ("^[a-z0-9.-]+$", "[a-z0-9.-]+"),
        ("^[-a]$", "[\\-a]"),
        ("^\\u00e9\\ud83d\\ude00\\x41$", "é😀A"),
        ("^a*?b+?$", "a*b+"),
        ("^$", "()"),
    ],
)
def test_patterns_are_written_as_i_regexp(source: str, written: str) -> None:
    assert regex.translate(source).pattern == written


@pytest.mark.parametrize("source", ["(?=a)", "(?<n>a)", "\\bword", "(a)\\1", "\\p{L}", "a{1001}", "a{2,1}", "[]", "[^]", "(a", "a)", "*", "^a(^b)", "a$b", "[\\d-z]", "\ud800"])
def test_patterns_outside_the_subset_are_refused(source: str) -> None:
    with pytest.raises(regex.Unsupported):
        regex.translate(source)


def test_empty_and_unanchored_empty_patterns_constrain_nothing() -> None:
    assert regex.translate("").pattern is None
    assert regex.translate("a|").pattern is None


NODE = shutil.which("node")
_SAMPLES = ["", "a", "ab", "abc", "b", "-", "a-b", "é", "aé", "\n", "a\n", "\na", "\r", "\u2028", "x$", "$", "1.5", "12", "A_b", "[", "]", "aaa", "ba", "Z9"]


@pytest.mark.skipif(NODE is None, reason="node is not installed (scripts/install-test-deps.sh installs it)")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["^", "$", "a", "b", "é", ".", "-", "\\d", "\\w", "\\s", "\\S", "[a-c]", "[^a]", "(", ")", "(?:", "|", "*", "+", "?", "{1,2}", "\\$", "\\.", "x", "\\n"]), max_size=8).map("".join))
def test_translated_patterns_accept_what_ecma_262_accepts(pattern: str) -> None:
    """Node's RegExp (with the u flag, as ajv runs JSON Schema patterns) is the judge."""
    try:
        translated = regex.translate(pattern)
    except regex.Unsupported:
        return
    script = "const [p, s] = JSON.parse(require('fs').readFileSync(0, 'utf8')); let r; try { r = new RegExp(p, 'u'); } catch (e) { console.log('null'); process.exit(0); } console.log(JSON.stringify(s.map(x => r.test(x))));"
    judged = subprocess.run([NODE, "-e", script], input=json.dumps([pattern, _SAMPLES]), capture_output=True, text=True, timeout=60)
    verdicts = json.loads(judged.stdout)
    assume(verdicts is not None)  # not ECMA-262 at all (Node refuses it)
    ours = [True] * len(_SAMPLES) if translated.pattern is None else [compiled_pattern(translated.pattern).fullmatch(s) is not None for s in _SAMPLES]
    assert ours == verdicts, (pattern, translated.pattern)


# --- JSON reading -------------------------------------------------------------------------


def test_a_repeated_key_is_reported_where_it_repeats() -> None:
    text = '{\n  "a": {"type": 1, "x": 2},\n  "b": {"type": 1, "y": {"type": 3}, "type": 4}\n}'
    with pytest.raises(ImportProblem, match=r"^f\.json:3:38: not valid JSON: an object repeats the key \"type\"$"):
        parse_json(text, "f.json")


def test_lone_surrogates_in_the_source_never_reach_the_output(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plan = {"rules": {"events": [{"name": "A\ud800b", "description": "x\udfff", "rules": {"labels": {"l\ud800": "v"}, "properties": {"properties": {
        "type": "object", "properties": {"k\ud800": {"type": "string"}, "ok": {"type": "string", "enum": ["\ud800", "fine"], "description": "d\ud800"}}}}}}]}}
    (tmp_path / "plan.json").write_text(json.dumps(plan), "utf-8")
    report, analysis = imported(clickgen_cli, "segment", tmp_path / "plan.json", tmp_path / "out")
    assert [e["kind"] for e in entries(report)] == ["invalid-key", "dropped-values"]
    assert contract(analysis.reference, "ok") == {"type": "string", "enum": ["fine"]}
    assert analysis.reference.fields["ok"].description == "d\ufffd"
    assert analysis.reference.events["a_b"].description == "x\ufffd\n\nSegment labels: l\ufffd=v."
