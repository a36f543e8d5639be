import { defaultStateName, type StateType } from "@baton/core/runtime";
import type { FlowRunFrame, RunFrame, TaskRunFrame } from "../context/run-context.js";

type Otel = typeof import("./otel.js");
type Tracing = ReturnType<Otel["createTracing"]>;
type Span = import("./otel.js").Span;
/** What a span needs of a state. */
export interface TracedState {
  type: string;
  name?: string | null | undefined;
  message?: string | null | undefined;
}

/**
 * Flow runs and task runs as OpenTelemetry traces (issue 15 part 5): a flow run is a span, each
 * task run a child span, a subflow's run a child of the task or flow that called it; states and
 * retries are span events; a deployment run continues the trace of whoever created it (the W3C
 * `traceparent` its creation carried). Nothing happens, and nothing is loaded, unless
 * OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set.
 */
interface TracingState {
  loaded?: { otel: Otel; tracing: Tracing };
  loading?: Promise<void>;
  spans: WeakMap<RunFrame, Span>;
}
/**
 * Kept on globalThis under a registered symbol, as the run context is: the worker's command and
 * the flow file may load two copies of this package, and a task of one must find the span of the
 * flow run the other started (and one provider must send them all).
 */
const KEY = Symbol.for("baton.tracing");
const holder = globalThis as unknown as Record<symbol, TracingState | undefined>;
const shared: TracingState = (holder[KEY] ??= { spans: new WeakMap() });
const spans = shared.spans;

export const tracingWanted = (): boolean => Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) && process.env.OTEL_SDK_DISABLED !== "true";

/** Loads OpenTelemetry once, when wanted; the flow-run engine awaits it before the run's first span. */
export function loadTracing(): Promise<void> {
  if (!tracingWanted()) return Promise.resolve();
  shared.loading ??= import("./otel.js").then((otel) => {
    shared.loaded = { otel, tracing: otel.createTracing() };
  });
  return shared.loading;
}

export interface FlowSpanInput {
  frame: FlowRunFrame;
  /** The frame that started this run (a subflow's caller), if any. */
  caller: RunFrame | undefined;
  traceparent?: string | null | undefined;
  deployment?: { id: string; name: string | null } | undefined;
  workPool?: string | null | undefined;
}

export function startFlowRunSpan({ frame, caller, traceparent, deployment, workPool }: FlowSpanInput): void {
  const loaded = shared.loaded;
  if (!loaded) return;
  const { tracing } = loaded;
  const parent = caller && spans.get(caller) ? tracing.inside(spans.get(caller)!) : tracing.contextOf(traceparent);
  const span = tracing.tracer.startSpan(`flow ${frame.flowName}`, {
    attributes: {
      "baton.flow.name": frame.flowName,
      "baton.flow_run.id": frame.id,
      "baton.flow_run.name": frame.name,
      ...(deployment ? { "baton.deployment.id": deployment.id, ...(deployment.name ? { "baton.deployment.name": deployment.name } : {}) } : {}),
      ...(workPool ? { "baton.work_pool.name": workPool } : {}),
      ...(caller ? { "baton.parent_flow_run.id": caller.kind === "task" ? caller.flow.id : caller.id } : {}),
    },
  }, parent);
  spans.set(frame, span);
}

function startTaskRunSpan(frame: TaskRunFrame): Span | undefined {
  const parent = spans.get(frame.flow);
  const loaded = shared.loaded;
  if (!loaded || !parent) return undefined;
  const span = loaded.tracing.tracer.startSpan(`task ${frame.taskName}`, {
    attributes: { "baton.task.name": frame.taskName, "baton.task_run.id": frame.id, "baton.task_run.name": frame.name, "baton.flow_run.id": frame.flow.id },
  }, loaded.tracing.inside(parent));
  spans.set(frame, span);
  return span;
}

const FINAL = new Set(["COMPLETED", "FAILED", "CRASHED", "CANCELLED"]);

/** A state of a flow or task run as an event of its span; a final state ends the span (ERROR unless Completed). */
export function traceState(frame: RunFrame, traced: TracedState): void {
  const loaded = shared.loaded;
  if (!loaded) return;
  const span = spans.get(frame) ?? (frame.kind === "task" ? startTaskRunSpan(frame) : undefined);
  if (!span) return;
  const name = traced.name ?? defaultStateName(traced.type as StateType);
  span.addEvent(name === "AwaitingRetry" ? "retry" : `state ${name}`, {
    "baton.state.type": traced.type,
    "baton.state.name": name,
    "baton.attempt": frame.attempt,
    ...(traced.message ? { "baton.state.message": traced.message.slice(0, 1000) } : {}),
  });
  if (!FINAL.has(traced.type)) return;
  span.setAttribute("baton.state.type", traced.type);
  span.setAttribute("baton.attempts", frame.attempt);
  const { SpanStatusCode } = loaded.otel;
  span.setStatus(traced.type === "COMPLETED" ? { code: SpanStatusCode.OK } : { code: SpanStatusCode.ERROR, message: traced.message ?? name });
  span.end();
  spans.delete(frame);
}

/** Ends a flow run's span if a final state did not (the run was refused at start), then sends what is buffered. */
export async function endFlowRunSpan(frame: FlowRunFrame, state: TracedState): Promise<void> {
  const loaded = shared.loaded;
  if (!loaded) return;
  const span = spans.get(frame);
  if (span && FINAL.has(state.type)) traceState(frame, state);
  else if (span) {
    span.addEvent(`state ${state.name ?? defaultStateName(state.type as StateType)}`, { "baton.state.type": state.type });
    span.end();
    spans.delete(frame);
  }
  await loaded.tracing.flush().catch(() => undefined);
}
