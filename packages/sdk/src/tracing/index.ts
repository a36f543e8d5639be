export { endFlowRunSpan, loadTracing, startFlowRunSpan, traceState, tracingWanted } from "./spans.js";
