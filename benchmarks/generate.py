"""Deterministic generator of a synthetic event reference at the scale of a large company.

    python benchmarks/generate.py OUT_DIR [--events 1200] [--fields 400] [--environments 40] [--seed 1]

or, from a test or another benchmark:

    from benchmarks.generate import generate
    stats = generate(out_dir, events=1200, fields=400, environments=40, seed=1)

The same arguments always give byte-identical files (a seeded `random.Random`, no set
iteration, no clock). The reference is meant to validate clean (`clickgen validate`:
exit 0, no warnings) and to exercise every part of the format:

- fields of every type (string, integer, number, boolean, array of each scalar) with
  every constraint: enum, minimum/maximum, min_length/max_length, portable patterns
  (whole-value match), items, min_items/max_items, examples that satisfy them,
  descriptions, docs links and a few deprecations with `replaced_by`;
- environments with common fields, langpacks subsets of [python, go, php], generations;
- events in one or two levels of sub-folders, 1-5 versions each (fields added,
  dropped, requirement changed), owners, descriptions, docs, a few deprecated events.

Names are built so that nothing collides after case conversion in any target language
(see DESIGN.md section 4): field and event names are unique after removing
underscores, enum fields end in a "kind" word (status, type, ...) that no enum value
contains, and no name contains digits. Only the standard library is used.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

ENVELOPE_KEYS = ("event_id", "event_version", "source_id", "event_time_us", "event_uid", "langpack")

# ---------------------------------------------------------------------------------
# vocabulary

# nouns of context (common) fields: sent by environments with every event
CONTEXT_NOUNS = ["app", "device", "session", "client", "page", "request", "network", "screen", "browser", "geo", "locale", "trace"]

# field-dictionary files -> the nouns whose fields they hold
FIELD_FILES: list[tuple[str, str, list[str]]] = [
    ("context", "Client and request context: sent as common fields by the environments, never listed in events.", CONTEXT_NOUNS),
    ("users", "Users, sellers and their accounts.", ["user", "seller", "buyer", "account", "profile", "company"]),
    ("items", "Listings (items) and their attributes.", ["item", "listing", "category", "photo", "video", "brand", "vehicle", "apartment"]),
    ("search", "Search, filters, feeds and recommendations.", ["search", "query", "filter", "feed", "recommendation", "widget", "banner"]),
    ("messaging", "Messenger: chats, threads and messages.", ["chat", "thread", "message", "attachment", "call"]),
    ("orders", "Orders, carts, delivery and couriers.", ["order", "cart", "delivery", "courier", "address", "parcel"]),
    ("payments", "Payments, wallets, refunds and invoices.", ["payment", "wallet", "refund", "invoice", "transaction", "card"]),
    ("reviews", "Reviews, ratings and disputes.", ["review", "rating", "dispute", "complaint"]),
    ("promotion", "Paid promotion, campaigns, coupons and ads.", ["campaign", "promo", "coupon", "ad", "slot", "tariff", "subscription"]),
    ("notifications", "Push, e-mail and in-app notifications.", ["notification", "push", "email", "sms"]),
    ("support", "Customer support and moderation.", ["ticket", "agent", "moderator", "verdict", "report"]),
    ("jobs", "Jobs vertical: vacancies, resumes and employers.", ["vacancy", "resume", "employer", "interview"]),
    ("ui", "Screens, forms and controls of the applications.", ["form", "step", "button", "tab", "dialog", "onboarding"]),
    ("experiments", "Experiments, feature flags and analytics helpers.", ["experiment", "feature", "cohort", "funnel"]),
]

# words that end every enum field name; enum values never contain them
ENUM_KINDS = ["status", "type", "method", "source", "kind", "reason", "mode", "channel", "tier", "role", "state", "statuses", "types"]

ENUM_VALUES: dict[str, list[str]] = {
    "status": ["pending", "active", "approved", "rejected", "blocked", "archived", "draft", "expired", "paid", "cancelled", "refunded", "on review", "in progress", "done"],
    "type": ["private", "business", "standard", "premium", "express", "trial", "regular", "wholesale", "retail", "internal", "partner"],
    "method": ["email", "phone", "apple", "google", "vk", "card", "sbp", "bank transfer", "Apple Pay", "cash on delivery", "qr"],
    "source": ["organic", "push", "email link", "deeplink", "search results", "recommendation", "banner", "direct", "social", "partner site"],
    "kind": ["text", "image", "voice", "file", "location", "sticker", "link", "contact", "system"],
    "reason": ["spam", "fraud", "duplicate", "wrong category", "prohibited goods", "offensive", "other", "sold elsewhere", "price changed"],
    "mode": ["list", "grid", "map", "gallery", "compact", "dark", "light"],
    "channel": ["web", "ios", "android", "mobile web", "telegram", "whatsapp", "call center"],
    "tier": ["free", "basic", "pro", "enterprise", "gold", "silver", "bronze"],
    "role": ["owner", "admin", "editor", "viewer", "guest", "manager", "accountant"],
    "state": ["opened", "closed", "collapsed", "expanded", "hidden", "visible", "focused"],
    "statuses": ["pending", "active", "blocked", "archived", "verified", "unverified", "paused"],
    "types": ["photo", "video", "panorama", "floor plan", "document", "audio"],
}

PATTERNS: list[tuple[str, str, list[str], int, int]] = [
    # (name word, pattern, examples, min_length, max_length)
    ("code", "[A-Z]{2,4}-[0-9]{3,6}", ["AB-123", "MSK-004512"], 6, 11),
    ("hash", "[0-9a-f]{40}", ["3f786850e387550fdab836ed7e6dc881de23001b"], 40, 40),
    ("uuid", "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", ["0f8fad5b-d9cb-469f-a165-70867728950e"], 36, 36),
    ("url", "https?://[^ ]+", ["https://www.example.com/moskva/kvartiry?p=2"], 8, 2048),
    ("currency", "[A-Z]{3}", ["RUB", "USD", "EUR"], 3, 3),
    ("phone", "\\+[0-9]{10,15}", ["+79161234567"], 11, 16),
    ("slug", "[a-z0-9]+(-[a-z0-9]+)*", ["kvartiry", "zhenskaya-odezhda"], 1, 128),
    ("version", "[0-9]+\\.[0-9]+\\.[0-9]+", ["7.12.0", "10.0.1"], 5, 32),
    ("lang", "[a-z]{2}(_[A-Z]{2})?", ["ru", "en_US"], 2, 5),
    ("sha", "[0-9a-fA-F]{64}", ["9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"], 64, 64),
    ("color", "#[0-9a-fA-F]{6}", ["#FFAA00", "#1a2b3c"], 7, 7),
    ("ip", "[0-9]{1,3}(\\.[0-9]{1,3}){3}", ["203.0.113.7"], 7, 15),
]

PRODUCT_WORDS = ["Sofa", "iPhone 13", "Winter tyres R17", "Two-room flat", "Road bike", "Garden hose", "Kids' scooter", "Oak desk", "Vintage camera", "Студия у метро", "Café table"]
TAG_WORDS = ["new", "sale", "delivery", "verified", "urgent", "bargain", "used", "premium"]


@dataclass
class FieldDef:
    name: str
    noun: str
    attr: str
    type: str
    body: dict[str, Any]
    context: bool
    deprecated_by: str | None = None


@dataclass
class Stats:
    files: int = 0
    fields: int = 0
    environments: int = 0
    events: int = 0
    versions: int = 0
    bytes: int = 0
    paths: list[str] = field(default_factory=list)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _human(noun: str) -> str:
    return {"ad": "ad", "sms": "SMS", "geo": "geolocation", "app": "application", "promo": "promo code", "trace": "trace"}.get(noun, noun.replace("_", " "))


# ---------------------------------------------------------------------------------
# field attributes: name word -> builder(rng, noun) -> (type, definition)

def _a_id(rng: random.Random, noun: str) -> tuple[str, dict[str, Any]]:
    body: dict[str, Any] = {"type": "integer", "minimum": 1, "description": f"{_sentence(_human(noun))} id, as stored in the {_human(noun)} service."}
    if rng.random() < 0.3:
        body["maximum"] = 2147483647
    body["examples"] = [1, rng.randint(1000, 2000000000)]
    return "integer", body


def _a_ids(rng: random.Random, noun: str) -> tuple[str, dict[str, Any]]:
    max_items = rng.choice([20, 50, 100, 500])
    body: dict[str, Any] = {
        "type": "array", "items": "integer", "minimum": 1, "min_items": rng.choice([0, 1]), "max_items": max_items,
        "description": f"Ids of the {_human(noun)}s shown to the user, in display order.",
        "examples": [[rng.randint(1, 10**9) for _ in range(3)], [7]],
    }
    return "array", body


def _a_count(rng: random.Random, noun: str) -> tuple[str, dict[str, Any]]:
    high = rng.choice([100, 1000, 10000, 1000000])
    return "integer", {"type": "integer", "minimum": 0, "maximum": high, "description": f"Number of {_human(noun)}s at the moment of the event.", "examples": [0, rng.randint(1, high)]}


def _a_position(rng: random.Random, noun: str) -> tuple[str, dict[str, Any]]:
    return "integer", {"type": "integer", "minimum": 0, "maximum": 9999, "description": f"Zero-based position of the {_human(noun)} in the list it was shown in.", "examples": [0, 14]}


def _a_duration_ms(rng: random.Random, noun: str) -> tuple[str, dict[str, Any]]:
    return "integer", {"type": "integer", "minimum": 0, "maximum": 86400000, "description": f"How long the {_human(noun)} took, in milliseconds.", "examples": [0, rng.randint(10, 60000)]}


def _a_created_at(rng: random.Random, noun: str) -> tuple[str, dict[str, Any]]:
    return "integer", {"type": "integer", "minimum": 0, "maximum": 4102444800000000, "description": f"When the {_human(noun)} was created, microseconds since the Unix epoch (UTC).", "examples": [1700000000000000]}


def _a_price(rng: random.Random, noun: str) -> tuple[str, dict[str, Any]]:
    return "number", {"type": "number", "minimum": 0, "maximum": 100000000000.0, "description": f"Price of the {_human(noun)} in the currency of the listing, taxes included.", "examples": [0, round(rng.uniform(1, 100000), 2)]}


def _a_amount(rng: random.Random, noun: str) -> tuple[str, dict[str, Any]]:
    return "number", {"type": "number", "minimum": -1000000000.0, "maximum": 1000000000.0, "description": f"Amount of the {_human(noun)}; negative for a reversal.", "examples": [round(rng.uniform(1, 5000), 2), -150.5]}


def _a_score(rng: random.Random, noun: str) -> tuple[str, dict[str, Any]]:
    return "number", {"type": "number", "minimum": 0.0, "maximum": 1.0, "description": f"Model score of the {_human(noun)} between 0 and 1.", "examples": [0.0, round(rng.random(), 4), 1]}


def _a_lat(rng: random.Random, noun: str) -> tuple[str, dict[str, Any]]:
    return "number", {"type": "number", "minimum": -90, "maximum": 90, "description": f"Latitude of the {_human(noun)}, WGS 84 degrees.", "examples": [55.7558, -33.8688]}


def _a_lon(rng: random.Random, noun: str) -> tuple[str, dict[str, Any]]:
    return "number", {"type": "number", "minimum": -180, "maximum": 180, "description": f"Longitude of the {_human(noun)}, WGS 84 degrees.", "examples": [37.6173, 151.2093]}


def _a_name(rng: random.Random, noun: str) -> tuple[str, dict[str, Any]]:
    return "string", {"type": "string", "min_length": 1, "max_length": 255, "description": f"Display name of the {_human(noun)} as the user sees it.", "examples": [rng.choice(PRODUCT_WORDS)]}


def _a_title(rng: random.Random, noun: str) -> tuple[str, dict[str, Any]]:
    return "string", {"type": "string", "min_length": 1, "max_length": 120, "description": f"Title of the {_human(noun)}, trimmed, in the language it was written in.", "examples": rng.sample(PRODUCT_WORDS, 2)}


def _a_text(rng: random.Random, noun: str) -> tuple[str, dict[str, Any]]:
    return "string", {"type": "string", "max_length": 4000, "description": f"Free text of the {_human(noun)}; may be empty. Personal data is masked before sending.", "examples": ["", "Is it still available? Can you deliver on Friday: after 18:00?"]}


def _a_visible(rng: random.Random, noun: str) -> tuple[str, dict[str, Any]]:
    return "boolean", {"type": "boolean", "description": f"Whether the {_human(noun)} was visible on screen when the event happened.", "examples": [True, False]}


def _a_enabled(rng: random.Random, noun: str) -> tuple[str, dict[str, Any]]:
    return "boolean", {"type": "boolean", "description": f"Whether the {_human(noun)} is switched on for this user.", "examples": [True]}


def _a_verified(rng: random.Random, noun: str) -> tuple[str, dict[str, Any]]:
    return "boolean", {"type": "boolean", "description": f"True when the {_human(noun)} passed verification.", "examples": [False]}


def _a_tags(rng: random.Random, noun: str) -> tuple[str, dict[str, Any]]:
    return "array", {
        "type": "array", "items": "string", "min_length": 1, "max_length": 32, "max_items": rng.choice([10, 20, 50]),
        "description": f"Free-form tags attached to the {_human(noun)}.", "examples": [rng.sample(TAG_WORDS, 2), []],
    }


def _a_scores(rng: random.Random, noun: str) -> tuple[str, dict[str, Any]]:
    return "array", {
        "type": "array", "items": "number", "minimum": 0, "maximum": 1, "min_items": 1, "max_items": 10,
        "description": f"Scores of the {_human(noun)} from each ranking model, in model order.", "examples": [[0.5, 0.25, 1.0]],
    }


def _a_flags(rng: random.Random, noun: str) -> tuple[str, dict[str, Any]]:
    return "array", {"type": "array", "items": "boolean", "max_items": 8, "description": f"Feature flags of the {_human(noun)}, in a fixed order documented on the wiki.", "examples": [[True, False, False]]}


def _enum_builder(kind: str) -> Callable[[random.Random, str], tuple[str, dict[str, Any]]]:
    def build(rng: random.Random, noun: str) -> tuple[str, dict[str, Any]]:
        pool = ENUM_VALUES[kind]
        values = rng.sample(pool, rng.randint(2, len(pool)))
        if kind in ("statuses", "types"):
            return "array", {
                "type": "array", "items": "string", "enum": values, "min_items": 0, "max_items": len(values),
                "description": f"{_sentence(kind)} of the {_human(noun)}, each at most once.", "examples": [values[:2], []],
            }
        return "string", {"type": "string", "enum": values, "description": f"{_sentence(kind)} of the {_human(noun)} at the moment of the event.", "examples": [values[0]]}

    return build


def _pattern_builder(word: str, pattern: str, examples: list[str], low: int, high: int) -> Callable[[random.Random, str], tuple[str, dict[str, Any]]]:
    def build(rng: random.Random, noun: str) -> tuple[str, dict[str, Any]]:
        body: dict[str, Any] = {"type": "string"}
        if rng.random() < 0.6:
            body["min_length"] = low
        body["max_length"] = high
        body["pattern"] = pattern
        body["description"] = f"{_sentence(word)} of the {_human(noun)}; the whole value must match the pattern."
        body["examples"] = list(examples)
        return "string", body

    return build


ATTRIBUTES: list[tuple[str, Callable[[random.Random, str], tuple[str, dict[str, Any]]], int]] = [
    # (name word, builder, weight)
    ("id", _a_id, 6), ("ids", _a_ids, 2), ("count", _a_count, 3), ("position", _a_position, 2),
    ("duration_ms", _a_duration_ms, 2), ("created_at", _a_created_at, 2), ("price", _a_price, 2), ("amount", _a_amount, 2),
    ("score", _a_score, 2), ("lat", _a_lat, 1), ("lon", _a_lon, 1), ("name", _a_name, 2), ("title", _a_title, 2),
    ("text", _a_text, 2), ("visible", _a_visible, 2), ("enabled", _a_enabled, 1), ("verified", _a_verified, 1),
    ("tags", _a_tags, 1), ("scores", _a_scores, 1), ("flags", _a_flags, 1),
    *[(kind, _enum_builder(kind), 2 if kind in ("status", "type", "source", "reason") else 1) for kind in ENUM_KINDS],
    *[(word, _pattern_builder(word, pattern, examples, low, high), 1) for word, pattern, examples, low, high in PATTERNS],
]


def _make_fields(rng: random.Random, count: int) -> list[FieldDef]:
    context_target = max(2, count // 10)
    combos: list[tuple[str, str]] = []
    for _, _, nouns in FIELD_FILES:
        for noun in nouns:
            for attr, _, weight in ATTRIBUTES:
                combos.extend([(noun, attr)] * weight)
    rng.shuffle(combos)
    builders = {attr: builder for attr, builder, _ in ATTRIBUTES}
    seen: set[str] = set()
    out: list[FieldDef] = []
    n_context = 0
    for noun, attr in combos:
        if len(out) >= count:
            break
        name = f"{noun}_{attr}"
        squashed = name.replace("_", "")
        if name in ENVELOPE_KEYS or squashed in seen:
            continue
        is_context = noun in CONTEXT_NOUNS
        if is_context and n_context >= context_target:
            continue
        if not is_context and len(out) - n_context >= count - context_target:
            continue
        seen.add(squashed)
        kind, body = builders[attr](rng, noun)
        if rng.random() < 0.1:
            body["docs"] = [f"https://wiki.internal/analytics/fields/{name}"]
        out.append(FieldDef(name, noun, attr, kind, body, is_context))
        n_context += is_context
    if len(out) < count:
        raise SystemExit(f"cannot make {count} distinct field names from the vocabulary (made {len(out)})")
    # a few retired fields, each replaced by a live field of the same type
    event_fields = [f for f in out if not f.context]
    for f in rng.sample(event_fields, max(1, len(event_fields) // 40)) if len(event_fields) > 4 else []:
        candidates = [g for g in event_fields if g.type == f.type and g.name != f.name and g.deprecated_by is None and g.body.get("items") == f.body.get("items")]
        same_attr = [g for g in candidates if g.attr == f.attr]
        if candidates:
            replacement = rng.choice(same_attr or candidates)
            f.deprecated_by = replacement.name
            f.body["deprecated"] = {"reason": f"Ambiguous across services; use `{replacement.name}`, which is filled the same way everywhere.", "replaced_by": replacement.name}
    # make sure no replacement is itself deprecated
    retired = {f.name for f in out if f.deprecated_by}
    for f in out:
        if f.deprecated_by in retired:
            f.deprecated_by = None
            del f.body["deprecated"]
    return out


# ---------------------------------------------------------------------------------
# environments

CLIENTS = [
    ("ios-app", "iOS application; events are relayed by the mobile gateway.", "mobile-platform"),
    ("android-app", "Android application; events are relayed by the mobile gateway.", "mobile-platform"),
    ("website", "Desktop website, server-side rendered pages and the SPA.", "web-platform"),
    ("mobile-web", "Mobile website (m.example.com).", "web-platform"),
    ("desktop-app", "Electron desktop application for professional sellers.", "pro-tools"),
    ("smart-tv", "Smart TV application for the realty and autos verticals.", "mobile-platform"),
]

DOMAINS: list[tuple[str, list[str], list[str]]] = [
    # (domain, objects, related field nouns)
    ("auth", ["login", "registration", "password", "session", "captcha"], ["user", "account", "profile", "form", "step"]),
    ("search", ["search", "serp", "filter", "suggest", "saved_search"], ["search", "query", "filter", "item", "category", "feed"]),
    ("items", ["item", "gallery", "contact", "draft", "price"], ["item", "listing", "category", "photo", "video", "brand", "seller"]),
    ("messaging", ["chat", "message", "attachment", "call", "template"], ["chat", "thread", "message", "attachment", "call", "user"]),
    ("payments", ["payment", "wallet", "refund", "invoice", "payout"], ["payment", "wallet", "refund", "invoice", "transaction", "card"]),
    ("delivery", ["delivery", "parcel", "courier", "pickup", "tracking"], ["delivery", "courier", "address", "parcel", "order"]),
    ("orders", ["order", "cart", "checkout", "receipt", "return"], ["order", "cart", "item", "payment", "buyer"]),
    ("reviews", ["review", "rating", "dispute", "answer", "complaint"], ["review", "rating", "dispute", "complaint", "seller"]),
    ("favourites", ["favourite", "collection", "comparison", "price_alert", "recent"], ["item", "listing", "user", "category"]),
    ("promotion", ["campaign", "coupon", "boost", "tariff", "banner"], ["campaign", "promo", "coupon", "ad", "slot", "tariff"]),
    ("notifications", ["push", "email", "sms", "inbox", "digest"], ["notification", "push", "email", "sms", "user"]),
    ("moderation", ["verdict", "report", "appeal", "queue", "rule"], ["moderator", "verdict", "report", "item", "complaint"]),
    ("support", ["ticket", "faq", "callback", "survey", "bot"], ["ticket", "agent", "user", "form"]),
    ("jobs", ["vacancy", "resume", "response", "interview", "employer"], ["vacancy", "resume", "employer", "interview", "company"]),
    ("realty", ["apartment", "viewing", "mortgage", "developer", "map"], ["apartment", "item", "address", "photo", "company"]),
    ("autos", ["vehicle", "history_report", "test_drive", "dealer", "valuation"], ["vehicle", "item", "brand", "report", "company"]),
    ("profile", ["profile", "avatar", "settings", "verification", "subscription"], ["profile", "user", "account", "subscription", "tariff"]),
    ("onboarding", ["onboarding", "tutorial", "permission", "tooltip", "welcome"], ["onboarding", "step", "button", "dialog", "tab"]),
    ("recommendations", ["feed", "widget", "carousel", "similar", "personal"], ["recommendation", "feed", "widget", "item", "banner"]),
    ("experiments", ["experiment", "feature", "cohort", "exposure", "holdout"], ["experiment", "feature", "cohort", "funnel"]),
    ("ads", ["ad", "slot", "auction", "impression", "creative"], ["ad", "slot", "campaign", "banner", "company"]),
    ("seller_tools", ["dashboard", "stats", "bulk_edit", "autoload", "crm"], ["seller", "item", "listing", "company", "tariff"]),
    ("loyalty", ["cashback", "level", "reward", "challenge", "referral"], ["user", "wallet", "promo", "coupon", "subscription"]),
    ("ui", ["screen", "tab", "dialog", "button", "form"], ["screen", "tab", "dialog", "button", "form", "step"]),
]

ACTIONS = [
    ("view", "opened the {o}"), ("show", "was shown the {o}"), ("click", "clicked the {o}"), ("open", "opened the {o}"),
    ("close", "closed the {o}"), ("create", "created a {o}"), ("update", "changed the {o}"), ("delete", "deleted the {o}"),
    ("share", "shared the {o}"), ("copy", "copied a link to the {o}"), ("select", "selected the {o}"), ("scroll", "scrolled through the {o}"),
    ("start", "started the {o}"), ("finish", "finished the {o}"), ("fail", "failed to complete the {o}"), ("success", "completed the {o}"),
    ("cancel", "cancelled the {o}"), ("retry", "retried the {o}"), ("expand", "expanded the {o}"), ("collapse", "collapsed the {o}"),
    ("submit", "submitted the {o}"), ("save", "saved the {o}"), ("load", "finished loading the {o}"), ("error", "saw an error on the {o}"),
    ("hide", "hid the {o}"), ("restore", "restored the {o}"), ("confirm", "confirmed the {o}"), ("reject", "rejected the {o}"),
    ("request", "requested the {o}"), ("receive", "received the {o}"), ("accept", "accepted the {o}"), ("decline", "declined the {o}"),
]

ACTORS = ["The user", "A buyer", "A seller", "The visitor", "A signed-in user", "The customer"]
PLACES = ["on the listing page", "in the app", "from the search results", "in the messenger", "in the personal account", "on the main page", "from a push notification", "in the seller dashboard"]


def _environment_names(count: int) -> list[tuple[str, str, str]]:
    names: list[tuple[str, str, str]] = list(CLIENTS)
    for domain, _, _ in DOMAINS:
        names.append((f"backend-{domain.replace('_', '-')}", f"Backend services of the {domain.replace('_', ' ')} domain.", f"team-{domain.replace('_', '-')}"))
    for domain, _, _ in DOMAINS:
        names.append((f"{domain.replace('_', '-')}-daemon", f"Asynchronous workers and queue consumers of the {domain.replace('_', ' ')} domain.", f"team-{domain.replace('_', '-')}"))
    i = 0
    while len(names) < count:
        i += 1
        names.append((f"partner-gateway-{'abcdefghijklmnopqrstuvwxyz'[i % 26]}{i}", "Gateway for a partner integration.", "partners"))
    return names[:count]


# ---------------------------------------------------------------------------------
# YAML output (hand-written: block style where people use it, flow style for short lists)

_PLAIN = re.compile(r"[A-Za-z_(][^\n]*")
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def _scalar(value: Any, flow: bool = False) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        assert "e" not in text and "n" not in text, text
        return text
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v, True) for v in value) + "]"
    assert isinstance(value, str)
    plain = (
        _PLAIN.fullmatch(value)
        and value.lower() not in _YAML11_WORDS
        and not value.endswith((" ", ":"))
        and ": " not in value
        and " #" not in value
        and not (flow and any(c in value for c in ",[]{}"))
    )
    if plain:
        return value
    if "'" not in value and value.isprintable():
        return "'" + value + "'"
    return json.dumps(value, ensure_ascii=False)


def _field_file(title: str, defs: list[FieldDef]) -> str:
    lines = [f"# {title}", ""]
    for f in defs:
        lines.append(f"{f.name}:")
        for key in ("type", "items", "description", "enum", "minimum", "maximum", "min_length", "max_length", "pattern", "min_items", "max_items", "examples", "docs"):
            if key in f.body:
                lines.append(f"  {key}: {_scalar(f.body[key])}")
        if "deprecated" in f.body:
            dep = f.body["deprecated"]
            lines.append("  deprecated:")
            lines.append(f"    reason: {_scalar(dep['reason'])}")
            lines.append(f"    replaced_by: {_scalar(dep['replaced_by'])}")
        lines.append("")
    return "\n".join(lines)


def _write(root: Path, rel: str, text: str, stats: Stats) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    path.write_bytes(data)
    stats.files += 1
    stats.bytes += len(data)
    stats.paths.append(rel)


def _prepare(out: Path) -> None:
    if out.exists() and any(out.iterdir()) and not (out / "clickgen.yaml").exists():
        raise SystemExit(f"{out} is not empty and is not a generated reference; refusing to overwrite it")
    for name in ("fields", "environments", "events"):
        if (out / name).exists():
            shutil.rmtree(out / name)
    out.mkdir(parents=True, exist_ok=True)


# ---------------------------------------------------------------------------------

def generate(out_dir: str | Path, events: int = 1200, fields: int = 400, environments: int = 40, seed: int = 1) -> Stats:
    """Write a synthetic reference into out_dir (replacing a previously generated one)."""
    if events < 1 or fields < 5 or environments < 1:
        raise ValueError("need at least 1 event, 5 fields and 1 environment")
    rng = random.Random(seed)
    out = Path(out_dir)
    _prepare(out)
    stats = Stats()

    # --- settings
    settings = (
        "# Settings of the synthetic benchmark reference (benchmarks/generate.py).\n"
        "name: bigco\n"
        "description: Clickstream of a large classifieds company, generated for benchmarks.\n"
        "python: {package_prefix: bigco_clickstream_, distribution_prefix: bigco-clickstream-}\n"
        "go: {module_prefix: example.com/bigco/clickstream}\n"
        "php: {vendor: bigco, namespace_prefix: 'Bigco\\Clickstream'}\n"
        "publish:\n"
        "  python: {repository_url: 'https://pypi.internal/'}\n"
        "  php: {repository_dir: /srv/satis}\n"
        "  go: {proxy_dir: /srv/goproxy}\n"
        "waivers: []\n"
    )
    _write(out, "clickgen.yaml", settings, stats)

    # --- fields
    defs = _make_fields(rng, fields)
    by_noun_file = {noun: file for file, _, nouns in FIELD_FILES for noun in nouns}
    for file, title, _ in FIELD_FILES:
        in_file = [f for f in defs if by_noun_file[f.noun] == file]
        if in_file:
            _write(out, f"fields/{file}.yaml", _field_file(title, in_file), stats)
    stats.fields = len(defs)
    context = [f for f in defs if f.context]
    event_fields = [f for f in defs if not f.context]
    live_event_fields = [f for f in event_fields if f.deprecated_by is None]
    by_noun: dict[str, list[FieldDef]] = {}
    for f in event_fields:
        by_noun.setdefault(f.noun, []).append(f)

    # --- environments
    env_names = _environment_names(environments)
    source_ids = rng.sample(range(1, 5000), len(env_names))
    langpack_choices = [["python", "go", "php"], ["python", "go", "php"], ["python", "go"], ["go", "php"], ["python"], ["go"], ["php"], ["python", "php"]]
    deprecated_env: str | None = None
    if len(env_names) >= 10:
        deprecated_env = env_names[-1][0]
    for i, (name, description, owner) in enumerate(env_names):
        lines = [f"name: {name}", f"source_id: {source_ids[i]}", f"description: {_scalar(description)}", f"owner: {owner}"]
        lines.append(f"collector: https://collector.internal/v1/{'mobile' if name.endswith('-app') else 'events'}")
        common = rng.sample(context, min(len(context), rng.randint(2, 8)))
        lines.append("common_fields:")
        for f in common:
            lines.append(f"  {f.name}: {'required' if rng.random() < 0.6 else 'optional'}")
        lines.append(f"langpacks: {_scalar(rng.choice(langpack_choices))}")
        lines.append("generations: [1]")
        if rng.random() < 0.3:
            lines.append(f"docs: ['https://wiki.internal/clickstream/environments/{name}']")
        if name == deprecated_env:
            lines += ["deprecated:", f"  reason: Retired with its service; its events now come from {env_names[0][0]}.", f"  replaced_by: {env_names[0][0]}"]
        _write(out, f"environments/{name}.yaml", "\n".join(lines) + "\n", stats)
    stats.environments = len(env_names)
    all_env_names = [n for n, _, _ in env_names if n != deprecated_env] or [env_names[0][0]]

    # --- events
    combos = [(d, o, a) for d, objects, _ in DOMAINS for o in objects for a in range(len(ACTIONS))]
    if events > len(combos):
        raise SystemExit(f"at most {len(combos)} events can be generated")
    picked = sorted(rng.sample(range(len(combos)), events))
    ids = rng.sample(range(1000, 1000 + events * 20), events)
    domain_info = {d: (objects, nouns) for d, objects, nouns in DOMAINS}
    names: list[str] = []
    seen_squashed: set[str] = set()
    for index in picked:
        d, o, a = combos[index]
        name = f"{o}_{ACTIONS[a][0]}"
        if name.replace("_", "") in seen_squashed:
            name = f"{d}_{name}"
        if name.replace("_", "") in seen_squashed:
            raise SystemExit(f"event name {name} collides with another one")
        seen_squashed.add(name.replace("_", ""))
        names.append(name)
    deprecated_events = set(rng.sample(range(events), events // 50)) if events >= 50 else set()
    version_weights = [50, 25, 13, 7, 5]
    for n, index in enumerate(picked):
        d, o, a = combos[index]
        name = names[n]
        objects, nouns = domain_info[d]
        dash = d.replace("_", "-")
        candidates = [e for e in (f"backend-{dash}", f"{dash}-daemon") if e in all_env_names]
        clients = [c for c, _, _ in CLIENTS if c in all_env_names]
        envs = candidates[: rng.randint(1, 2)] if candidates else []
        if clients and (not envs or rng.random() < 0.7):
            envs += rng.sample(clients, min(len(clients), rng.randint(1, 3)))
        if not envs:
            envs = rng.sample(all_env_names, min(len(all_env_names), rng.randint(1, 3)))
        pool = [f for noun in nouns for f in by_noun.get(noun, [])]
        pool = pool + rng.sample(event_fields, min(len(event_fields), 6))
        pool = list({f.name: f for f in pool}.values())
        is_deprecated = n in deprecated_events
        nversions = rng.choices(range(1, 6), weights=version_weights)[0]
        versions = _versions(rng, pool, live_event_fields, nversions, is_deprecated)
        stats.versions += len(versions)

        obj = o.replace("_", " ")
        verb = ACTIONS[a][1].format(o=obj)
        description = f"{rng.choice(ACTORS)} {verb} {rng.choice(PLACES)}."
        if rng.random() < 0.4:
            description += f" Sent once per {rng.choice(['screen view', 'user action', 'request', 'session'])}; retries are deduplicated by event_uid."
        lines = [f"event: {name}", f"id: {ids[n]}", f"owner: team-{dash}", f"description: {_scalar(description)}", f"environments: {_scalar(envs)}"]
        if rng.random() < 0.25:
            lines.append(f"docs: ['https://wiki.internal/analytics/{dash}/{name}']")
        if is_deprecated:
            target = names[(n + 1) % events] if events > 1 else None
            if target and target != name:
                lines += ["deprecated:", f"  reason: Merged into {target}; kept for old app versions.", f"  replaced_by: {target}"]
        lines.append("versions:")
        for number, (vdesc, vfields) in enumerate(versions, start=1):
            lines.append(f"  {number}:")
            if vdesc:
                lines.append(f"    description: {_scalar(vdesc)}")
            lines.append("    fields:" + (" {}" if not vfields else ""))
            for fname, required in vfields:
                lines.append(f"      {fname}: {'required' if required else 'optional'}")
        folder = f"events/{d}/{o}" if rng.random() < 0.6 else f"events/{d}"
        _write(out, f"{folder}/{name}.yaml", "\n".join(lines) + "\n", stats)
    stats.events = events
    return stats


def _versions(rng: random.Random, pool: list[FieldDef], live: list[FieldDef], count: int, deprecated_event: bool) -> list[tuple[str, list[tuple[str, bool]]]]:
    """Version descriptions and field lists; the latest version of a live event uses no retired field."""
    current: dict[str, bool] = {}
    size = min(len(pool), rng.randint(2, 9))
    for f in rng.sample(pool, size):
        current[f.name] = rng.random() < 0.6
    by_name = {f.name: f for f in pool}
    out: list[tuple[str, list[tuple[str, bool]]]] = []
    for number in range(1, count + 1):
        description = ""
        if number > 1:
            changes = []
            unused = [f for f in pool if f.name not in current and f.deprecated_by is None]
            if unused and rng.random() < 0.8:
                added = rng.choice(unused)
                current[added.name] = rng.random() < 0.5
                changes.append(f"adds `{added.name}` ({'required' if current[added.name] else 'optional'})")
            if len(current) > 2 and rng.random() < 0.3:
                dropped = rng.choice(sorted(current))
                del current[dropped]
                changes.append(f"drops `{dropped}`")
            optional = sorted(k for k, v in current.items() if not v)
            if optional and rng.random() < 0.2:
                made = rng.choice(optional)
                current[made] = True
                changes.append(f"makes `{made}` required")
            if not changes:
                extra = rng.choice(live) if live else None
                if extra is not None and extra.name not in current:
                    current[extra.name] = False
                    by_name[extra.name] = extra
                    changes.append(f"adds `{extra.name}` (optional)")
                else:
                    changes.append("re-releases the fields under a new version for the new app contract")
            description = _sentence("; ".join(changes)) + "."
        if number == count and not deprecated_event:
            for fname in sorted(current):
                f = by_name.get(fname)
                if f is not None and f.deprecated_by is not None:
                    del current[fname]
                    if f.deprecated_by not in current:
                        current[f.deprecated_by] = True
                    description = (description + " " if description else "") + f"Replaces the retired `{fname}` with `{f.deprecated_by}`."
        out.append((description, list(current.items())))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--events", type=int, default=1200)
    parser.add_argument("--fields", type=int, default=400)
    parser.add_argument("--environments", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    stats = generate(args.out_dir, events=args.events, fields=args.fields, environments=args.environments, seed=args.seed)
    print(
        f"wrote {stats.files} files ({stats.bytes / 1024:.0f} KiB) to {args.out_dir}: {stats.events} events "
        f"({stats.versions} versions), {stats.fields} fields, {stats.environments} environments",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
