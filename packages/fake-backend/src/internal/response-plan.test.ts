import { describe, expect, it } from "vitest";
import { scripts } from "../response-script.js";
import { echoText, planResponse, type ResponsesRequest } from "./response-plan.js";

const request = (input: unknown[], generate = true): ResponsesRequest => ({
  model: "m",
  input,
  previousResponseId: undefined,
  generate,
});

function context() {
  let item = 0;
  return { responseId: "resp_1", nowSeconds: 1_000, nextItemId: () => `msg_${++item}` };
}

describe("echoText", () => {
  it.each([
    [
      "input_text parts of the last user message",
      [
        { type: "message", role: "user", content: [{ type: "input_text", text: "old" }] },
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "no" }] },
        {
          type: "message",
          role: "user",
          content: [
            { type: "input_text", text: "a" },
            { type: "input_image" },
            { type: "input_text", text: "b" },
          ],
        },
      ],
      "ab",
    ],
    ["string content", [{ role: "user", content: "plain" }], "plain"],
    ["no user message", [{ type: "function_call_output", call_id: "c", output: "x" }], ""],
    ["junk items", [null, 1, "x", [], { role: "user", type: "reasoning" }], ""],
    ["non-array content", [{ role: "user", content: 5 }], ""],
    ["empty input", [], ""],
  ])("reads %s", (_name, input, expected) => {
    expect(echoText(input)).toBe(expected);
  });
});

describe("planResponse", () => {
  it("plans the echo as created, message, completed with numbered events", () => {
    const plan = planResponse(
      scripts.echo() as never,
      request([{ role: "user", content: "héllo wörld, long text" }]),
      context(),
    );
    if (plan.kind !== "stream") throw new Error("expected a stream");
    const events = plan.actions.map((a) => (a.type === "event" ? a.event : a));
    expect(events.map((e) => e.type)).toEqual([
      "response.created",
      "response.output_item.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events.map((e) => (e as Record<string, unknown>).sequence_number)).toEqual([
      0, 1, 2, 3, 4, 5,
    ]);
    expect(plan.completed).toBe(true);
    expect(plan.outputItems).toHaveLength(1);
    expect(events[5]).toMatchObject({
      response: { id: "resp_1", created_at: 1_000, model: "m", usage: { output_tokens: 6 } },
    });
  });

  it("never splits a surrogate pair across deltas", () => {
    const plan = planResponse(
      scripts.text("😀😀😀", { chunkSize: 1 }) as never,
      request([]),
      context(),
    );
    if (plan.kind !== "stream") throw new Error("expected a stream");
    const deltas = plan.actions.flatMap((a) =>
      a.type === "event" && a.event.type === "response.output_text.delta" ? [a.event.delta] : [],
    );
    expect(deltas).toEqual(["😀", "😀", "😀"]);
  });

  it("plans a prewarm without output", () => {
    const plan = planResponse(
      { kind: "echo" },
      request([{ role: "user", content: "x" }], false),
      context(),
    );
    if (plan.kind !== "stream") throw new Error("expected a stream");
    expect(plan.actions.map((a) => (a.type === "event" ? a.event.type : a.type))).toEqual([
      "response.created",
      "response.completed",
    ]);
  });

  it("keeps stalls and disconnects in order and marks unfinished streams", () => {
    const plan = planResponse(scripts.disconnect("abc") as never, request([]), context());
    if (plan.kind !== "stream") throw new Error("expected a stream");
    expect(plan.actions.map((a) => (a.type === "event" ? a.event.type : a.type))).toEqual([
      "response.created",
      "response.output_item.added",
      "response.output_text.delta",
      "disconnect",
    ]);
    expect(plan.completed).toBe(false);
  });

  it("adds the item before its first delta and closes it before the terminal event", () => {
    const plan = planResponse(
      scripts.stream([
        { type: "created" },
        { type: "text_delta", delta: "hel" },
        { type: "text_delta", delta: "lo" },
        { type: "completed" },
      ]) as never,
      request([]),
      context(),
    );
    if (plan.kind !== "stream") throw new Error("expected a stream");
    const events = plan.actions.flatMap((a) => (a.type === "event" ? [a.event] : []));
    expect(events.map((e) => e.type)).toEqual([
      "response.created",
      "response.output_item.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_item.done",
      "response.completed",
    ]);
    const added = events[1] as { item: { id: string } };
    expect(events[2]).toMatchObject({ item_id: added.item.id, output_index: 0, delta: "hel" });
    expect(events[4]).toMatchObject({
      item: { id: added.item.id, content: [{ type: "output_text", text: "hello" }] },
    });
    expect(plan.outputItems).toEqual([(events[4] as { item: unknown }).item]);
  });

  it("sends deltas after a scripted output_item_added to that item", () => {
    const plan = planResponse(
      scripts.stream([
        { type: "created" },
        {
          type: "output_item_added",
          item: { id: "msg_custom", type: "message", role: "assistant", content: [] },
        },
        { type: "text_delta", delta: "x" },
        { type: "stall" },
      ]) as never,
      request([]),
      context(),
    );
    if (plan.kind !== "stream") throw new Error("expected a stream");
    const delta = plan.actions.find(
      (a) => a.type === "event" && a.event.type === "response.output_text.delta",
    );
    expect(delta).toMatchObject({ event: { item_id: "msg_custom", output_index: 0 } });
  });

  it.each([
    ["disconnect", scripts.disconnect("cut here")],
    ["stall", scripts.stall("wait")],
    ["text", scripts.text("a longer answer in chunks", { chunkSize: 3 })],
    [
      "deltas around a message",
      scripts.stream([
        { type: "created" },
        { type: "text_delta", delta: "a" },
        { type: "message", text: "b" },
        { type: "text_delta", delta: "c" },
        { type: "failed", code: "x", message: "y" },
      ]),
    ],
  ])("never sends a delta for an item not added yet (%s)", (_name, script) => {
    const plan = planResponse(script as never, request([]), context());
    if (plan.kind !== "stream") throw new Error("expected a stream");
    const added = new Set<unknown>();
    let deltas = 0;
    for (const action of plan.actions) {
      if (action.type !== "event") continue;
      const event = action.event as { type: string; item?: { id?: unknown }; item_id?: unknown };
      if (event.type === "response.output_item.added") added.add(event.item?.id);
      if (event.type === "response.output_text.delta") {
        deltas++;
        expect(added.has(event.item_id)).toBe(true);
      }
    }
    expect(deltas).toBeGreaterThan(0);
  });

  it("plans a status answer with retry-after", () => {
    expect(
      planResponse(scripts.rateLimited({ retryAfterSeconds: 4 }) as never, request([]), context()),
    ).toMatchObject({
      kind: "status",
      status: 429,
      headers: { "retry-after": "4" },
    });
  });
});
