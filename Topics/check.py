#!/usr/bin/python3
"""Check the Wanxia topic contract in Topics/.

- every schema is valid JSON Schema 2020-12 whose $id ends with its file name;
- every example in examples/ validates against its schema, and every example in
  examples/invalid/ is rejected by it (an example maps to the schema with the
  longest name that is the example's name or a prefix of it followed by "-":
  examples/observation-batch-checkin.json -> schemas/observation-batch.json);
  batches also validate against the envelope schemas/batch.json;
- every payload schema and every item type has at least one valid example;
- asyncapi.yaml parses, every $ref in it resolves (files and JSON pointers),
  channel parameters match their addresses, and every channel has a send and a
  receive operation with an MQTT qos.

Uses only jsonschema and yaml (Debian python3-jsonschema, python3-yaml).
Prints "N passed, M failed" and exits 1 if anything failed.
"""
import json
import re
import sys
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parent
SCHEMAS = ROOT / "schemas"
EXAMPLES = ROOT / "examples"
ID_BASE = "https://wanxia.invalid/topics/v1/"
NOT_PAYLOADS = {"common"}  # schemas that only hold shared definitions
ITEM_TYPES = {
    "observation-batch": {"checkin", "checkout", "attendance", "match-result", "judge-score",
                          "meeting-log", "essay", "confirmation"},
    "record-batch": {"person", "event", "participation"},
}

passed = 0
failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {what}")


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


# --- schemas -----------------------------------------------------------------
schemas = {}
for path in sorted(SCHEMAS.glob("*.json")):
    try:
        schema = load_json(path)
        jsonschema.Draft202012Validator.check_schema(schema)
        check(schema.get("$id") == ID_BASE + path.name, f"{path.name}: $id must be {ID_BASE + path.name}")
        schemas[path.stem] = schema
    except Exception as error:  # noqa: BLE001 - report and go on
        check(False, f"{path.name}: {error}")
store = {schema["$id"]: schema for schema in schemas.values() if "$id" in schema}


def validator(name):
    schema = schemas[name]
    resolver = jsonschema.RefResolver.from_schema(schema, store=store)
    return jsonschema.Draft202012Validator(schema, resolver=resolver,
                                           format_checker=jsonschema.FormatChecker())


def schema_for(example):
    stem = example.stem
    names = [n for n in schemas if n not in NOT_PAYLOADS and (stem == n or stem.startswith(n + "-"))]
    return max(names, key=len) if names else None


def errors(name, instance):
    found = [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
             for e in validator(name).iter_errors(instance)]
    if name.endswith("-batch") and "batch" in schemas:
        found += [f"(envelope) {e.message}" for e in validator("batch").iter_errors(instance)]
    return found


# --- examples ----------------------------------------------------------------
covered = set()
item_types = {name: set() for name in ITEM_TYPES}
for path in sorted(EXAMPLES.glob("*.json")):
    name = schema_for(path)
    if name is None:
        check(False, f"examples/{path.name}: no schema matches its name")
        continue
    try:
        instance = load_json(path)
    except Exception as error:  # noqa: BLE001
        check(False, f"examples/{path.name}: {error}")
        continue
    problems = errors(name, instance)
    check(not problems, f"examples/{path.name} against schemas/{name}.json: " + "; ".join(problems))
    covered.add(name)
    if name.endswith("-batch"):
        covered.add("batch")
    if name in item_types:
        item_types[name].update(item.get("type") for item in instance.get("items", []))

for path in sorted((EXAMPLES / "invalid").glob("*.json")):
    name = schema_for(path)
    if name is None:
        check(False, f"examples/invalid/{path.name}: no schema matches its name")
        continue
    problems = errors(name, load_json(path))
    check(bool(problems), f"examples/invalid/{path.name} was accepted by schemas/{name}.json")

for name in sorted(set(schemas) - NOT_PAYLOADS):
    check(name in covered, f"schemas/{name}.json has no valid example")
for name, expected in ITEM_TYPES.items():
    missing = expected - item_types[name]
    check(not missing, f"{name}: no example item of type {sorted(missing)}")

# --- asyncapi.yaml -------------------------------------------------------------
def pointer(document, fragment):
    node = document
    for token in fragment.lstrip("/").split("/") if fragment.strip("/") else []:
        token = token.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


try:
    with open(ROOT / "asyncapi.yaml", encoding="utf-8") as f:
        api = yaml.safe_load(f)
    check(isinstance(api, dict) and api.get("asyncapi") == "3.0.0", "asyncapi.yaml: asyncapi must be 3.0.0")
except Exception as error:  # noqa: BLE001
    api = None
    check(False, f"asyncapi.yaml does not parse: {error}")

if api:
    referenced = set()
    for ref in sorted(set(refs(api))):
        target, _, fragment = ref.partition("#")
        try:
            if target:
                document = load_json(ROOT / target)
                if Path(target).parent.name == "schemas":
                    referenced.add(Path(target).stem)
            else:
                document = api
            pointer(document, fragment)
            check(True, ref)
        except Exception as error:  # noqa: BLE001
            check(False, f"asyncapi.yaml: $ref {ref} does not resolve ({error!r})")
    for name in sorted(set(schemas) - NOT_PAYLOADS - {"batch"}):
        check(name in referenced, f"asyncapi.yaml never names schemas/{name}.json")

    channels = api.get("channels", {})
    actions = {key: set() for key in channels}
    for key, op in api.get("operations", {}).items():
        channel_ref = op.get("channel", {}).get("$ref", "")
        channel = channel_ref.removeprefix("#/channels/")
        check(channel in channels, f"operation {key}: channel {channel_ref} is not a channel")
        check(op.get("action") in ("send", "receive"), f"operation {key}: action must be send or receive")
        qos = op.get("bindings", {}).get("mqtt", {}).get("qos")
        check(qos in (0, 1, 2), f"operation {key}: bindings.mqtt.qos missing")
        for message in op.get("messages", []):
            check(message.get("$ref", "").startswith(f"#/channels/{channel}/messages/"),
                  f"operation {key}: message {message} is not a message of its channel")
        actions.setdefault(channel, set()).add(op.get("action"))
    for key, channel in channels.items():
        address = channel.get("address", "")
        check(address.startswith("wanxia/v1/") and re.fullmatch(r"[a-z0-9/{}+#-]+", address) is not None,
              f"channel {key}: address {address!r} must be lowercase under wanxia/v1/")
        in_address = set(re.findall(r"{([^}]+)}", address))
        check(in_address == set(channel.get("parameters", {})),
              f"channel {key}: parameters {sorted(channel.get('parameters', {}))} do not match {address}")
        check(actions.get(key) == {"send", "receive"}, f"channel {key}: needs a send and a receive operation")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
