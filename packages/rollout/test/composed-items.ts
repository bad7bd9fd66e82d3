import type { RolloutItem } from "../src/index.js";

export const THREAD_ID = "0196b0c2-7d1e-7a3b-9c4d-5e6f70819203";

/** One item of every variant the spec describes, in upstream write shape. */
export const COMPOSED_ITEMS: RolloutItem[] = [
  {
    type: "session_meta",
    payload: {
      id: THREAD_ID,
      forked_from_id: "0196b0c2-0000-7000-8000-000000000001",
      timestamp: "2026-05-08T19:36:02.101Z",
      cwd: "/srv/demo",
      originator: "codex_cli_rs",
      cli_version: "0.0.0",
      source: { subagent: { thread_spawn: { parent_thread_id: "p", depth: 1, agent_role: "r" } } },
      thread_source: "subagent",
      agent_nickname: "nick",
      agent_role: "explorer",
      agent_path: "/root/explorer",
      model_provider: null,
      base_instructions: null,
      dynamic_tools: [{ name: "t", description: "d", inputSchema: { type: "object" } }],
      memory_mode: "disabled",
      git: { commit_hash: "3f2a9c1", branch: "main", repository_url: "https://example.invalid/r" },
    },
  },
  {
    type: "turn_context",
    payload: {
      cwd: "/srv/demo",
      approval_policy: "never",
      sandbox_policy: { type: "read-only" },
      model: "gpt-test",
      summary: "auto",
      optional: { turn_id: "t1", effort: "high", truncation_policy: { mode: "bytes", limit: 10 } },
    },
  },
  {
    type: "response_item",
    payload: {
      type: "message",
      role: "user",
      content: [
        { type: "input_text", text: "héllo ✓" },
        { type: "input_image", image_url: "data:image/png;base64,AAAA" },
      ],
    },
  },
  {
    type: "response_item",
    payload: {
      type: "message",
      role: "assistant",
      content: [{ type: "output_text", text: "ok" }],
      end_turn: true,
      phase: "commentary",
    },
  },
  {
    type: "response_item",
    payload: {
      type: "reasoning",
      summary: [{ type: "summary_text", text: "s" }],
      content: [{ type: "reasoning_text", text: "r" }],
      encrypted_content: null,
    },
  },
  {
    type: "response_item",
    payload: {
      type: "local_shell_call",
      call_id: null,
      status: "completed",
      action: { type: "exec", command: ["ls", "-la"], timeout_ms: 1000, env: { A: "1" } },
    },
  },
  {
    type: "response_item",
    payload: {
      type: "function_call",
      name: "shell",
      namespace: "tools",
      arguments: '{"command":"ls"}',
      call_id: "call_1",
    },
  },
  {
    type: "response_item",
    payload: {
      type: "function_call_output",
      call_id: "call_1",
      output: [
        { type: "input_text", text: "out" },
        { type: "input_image", image_url: "data:x", detail: "high" },
      ],
    },
  },
  {
    type: "response_item",
    payload: {
      type: "custom_tool_call",
      status: "completed",
      call_id: "c2",
      name: "apply_patch",
      input: "*** Begin",
    },
  },
  {
    type: "response_item",
    payload: {
      type: "custom_tool_call_output",
      call_id: "c2",
      name: "apply_patch",
      output: "done",
    },
  },
  {
    type: "response_item",
    payload: {
      type: "tool_search_call",
      call_id: null,
      status: "completed",
      execution: "client",
      arguments: { q: 1 },
    },
  },
  {
    type: "response_item",
    payload: {
      type: "tool_search_output",
      call_id: "ts",
      status: "completed",
      execution: "client",
      tools: [{ name: "x" }],
    },
  },
  {
    type: "response_item",
    payload: {
      type: "web_search_call",
      status: "completed",
      action: { type: "search", query: "q", queries: ["q"] },
    },
  },
  {
    type: "response_item",
    payload: {
      type: "image_generation_call",
      id: "ig_1",
      status: "completed",
      revised_prompt: "cat",
      result: "BASE64",
    },
  },
  {
    type: "response_item",
    payload: {
      type: "ghost_snapshot",
      ghost_commit: {
        id: "abc",
        parent: null,
        preexisting_untracked_files: [],
        preexisting_untracked_dirs: [],
      },
    },
  },
  { type: "response_item", payload: { type: "compaction", encrypted_content: "enc" } },
  {
    type: "compacted",
    payload: {
      message: "summary",
      replacement_history: [
        { type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] },
      ],
    },
  },
  {
    type: "event_msg",
    payload: {
      type: "user_message",
      message: "list files",
      images: ["u"],
      local_images: ["/a.png"],
      text_elements: [],
    },
  },
  { type: "event_msg", payload: { type: "agent_message", message: "m", phase: "final_answer" } },
  { type: "event_msg", payload: { type: "agent_reasoning", text: "t" } },
  { type: "event_msg", payload: { type: "agent_reasoning_raw_content", text: "raw" } },
  {
    type: "event_msg",
    payload: {
      type: "token_count",
      info: {
        total_token_usage: {
          input_tokens: 1,
          cached_input_tokens: 0,
          output_tokens: 2,
          reasoning_output_tokens: 0,
          total_tokens: 3,
        },
        last_token_usage: {
          input_tokens: 1,
          cached_input_tokens: 0,
          output_tokens: 2,
          reasoning_output_tokens: 0,
          total_tokens: 3,
        },
        model_context_window: 272000,
      },
      rate_limits: null,
    },
  },
  {
    type: "event_msg",
    payload: {
      type: "task_started",
      turn_id: "t1",
      model_context_window: null,
      collaboration_mode_kind: "plan",
    },
  },
  {
    type: "event_msg",
    payload: { type: "task_complete", turn_id: "t1", last_agent_message: null },
  },
  {
    type: "event_msg",
    payload: { type: "thread_name_updated", thread_id: THREAD_ID, thread_name: "demo" },
  },
  { type: "event_msg", payload: { type: "thread_rolled_back", num_turns: 2 } },
  { type: "event_msg", payload: { type: "context_compacted" } },
  { type: "event_msg", payload: { type: "turn_aborted", turn_id: "t1", reason: "interrupted" } },
  {
    type: "event_msg",
    payload: { type: "undo_completed", success: true, message: null },
  },
  {
    type: "event_msg",
    payload: {
      type: "image_generation_end",
      call_id: "ig_1",
      status: "completed",
      revised_prompt: null,
      result: "BASE64",
      saved_path: "/tmp/ig_1.png",
    },
  },
  {
    type: "event_msg",
    payload: {
      type: "entered_review_mode",
      target: { type: "uncommittedChanges" },
      user_facing_hint: null,
    },
  },
  { type: "event_msg", payload: { type: "exited_review_mode", review_output: null } },
  {
    type: "event_msg",
    payload: {
      type: "item_completed",
      thread_id: THREAD_ID,
      turn_id: "t1",
      item: { type: "Plan", id: "plan-1", text: "1. list files" },
    },
  },
  {
    type: "event_msg",
    payload: { type: "error", fields: { message: "boom", codex_error_info: null } },
  },
];
