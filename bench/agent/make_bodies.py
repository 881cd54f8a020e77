#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes synthetic coding-agent request bodies of a chosen size: a long system prompt, 20 tools
# with JSON schemas and a long tool-calling conversation, as a Chat Completions request (sent
# through unchanged to an OpenAI-kind target) and as a Messages request (translated to chat).
# Deterministic: the same size always gives the same bytes.
#   make_bodies.py OUT_DIR SIZE_KB...   -> OUT_DIR/chat-SIZEk.json, OUT_DIR/messages-SIZEk.json
import json
import random
import sys

WORDS = ("the file function test build error line change module call value type return "
         "config request stream token agent patch diff commit branch parse check read write").split()


def prose(rng, n_words):
    return " ".join(rng.choice(WORDS) for _ in range(n_words))


def tools(rng):
    out = []
    for i in range(20):
        props = {f"arg_{j}": {"type": rng.choice(["string", "integer", "boolean"]), "description": prose(rng, 12)}
                 for j in range(6)}
        out.append({"name": f"tool_{i}", "description": prose(rng, 60),
                    "schema": {"type": "object", "properties": props, "required": ["arg_0"]}})
    return out


def conversation(rng, target_bytes, system, tool_list):
    turns, size, n = [], len(system) + len(json.dumps(tool_list)), 0
    while size < target_bytes:
        call_id = f"call_{n:05d}"
        tool = tool_list[n % len(tool_list)]["name"]
        user = prose(rng, 40)
        args = json.dumps({"arg_0": prose(rng, 8), "arg_1": n})
        result = prose(rng, 300)
        turns.append((user, call_id, tool, args, result))
        size += len(user) + len(args) + len(result) + 200
        n += 1
    return turns


def chat_body(system, tool_list, turns):
    messages = [{"role": "system", "content": system}]
    for user, call_id, tool, args, result in turns:
        messages.append({"role": "user", "content": user})
        messages.append({"role": "assistant", "content": None, "tool_calls": [
            {"id": call_id, "type": "function", "function": {"name": tool, "arguments": args}}]})
        messages.append({"role": "tool", "tool_call_id": call_id, "content": result})
    messages.append({"role": "user", "content": "Continue."})
    return {"model": "general", "max_tokens": 1024, "messages": messages,
            "tools": [{"type": "function", "function": {"name": t["name"], "description": t["description"],
                                                        "parameters": t["schema"]}} for t in tool_list]}


def messages_body(system, tool_list, turns):
    messages = []
    for user, call_id, tool, args, result in turns:
        messages.append({"role": "user", "content": user})
        messages.append({"role": "assistant", "content": [
            {"type": "tool_use", "id": call_id, "name": tool, "input": json.loads(args)}]})
        messages.append({"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": call_id, "content": result}]})
    messages.append({"role": "user", "content": "Continue."})
    return {"model": "general", "max_tokens": 1024, "system": system, "messages": messages,
            "tools": [{"name": t["name"], "description": t["description"], "input_schema": t["schema"]}
                      for t in tool_list]}


def main():
    out_dir, sizes = sys.argv[1], [int(s) for s in sys.argv[2:]]
    for kb in sizes:
        rng = random.Random(kb)
        system = prose(rng, 4000)  # ~25 KB, like a coding agent's system prompt
        tool_list = tools(rng)
        turns = conversation(rng, kb * 1024, system, tool_list)
        for name, body in (("chat", chat_body(system, tool_list, turns)),
                           ("messages", messages_body(system, tool_list, turns))):
            with open(f"{out_dir}/{name}-{kb}k.json", "w") as f:
                json.dump(body, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
