// Loaded only when OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set:
// `import "baton"` never parses OpenTelemetry (bench/import measures it).
import { DiagConsoleLogger, DiagLogLevel, ROOT_CONTEXT, SpanStatusCode, diag, trace, type Context, type Span, type Tracer } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { BATON_VERSION } from "@baton/core/runtime";

export { SpanStatusCode, type Span, type Context };

/**
 * One provider per process, exporting over OTLP/HTTP to the endpoint the standard OTEL_*
 * variables name (the exporter reads them: endpoint, headers, timeout). Not registered as the
 * global provider: the user's own OpenTelemetry setup, if any, stays theirs.
 */
export function createTracing(): { tracer: Tracer; flush(): Promise<void>; contextOf(traceparent: string | null | undefined): Context; inside(span: Span): Context } {
  // OTEL_LOG_LEVEL=debug (or info, warn, error) shows the exporter's own messages on stderr: why spans do not arrive.
  const level = process.env.OTEL_LOG_LEVEL?.toUpperCase() as keyof typeof DiagLogLevel | undefined;
  if (level && DiagLogLevel[level] !== undefined) diag.setLogger(new DiagConsoleLogger(), DiagLogLevel[level]);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": process.env.OTEL_SERVICE_NAME ?? "baton-flow", "service.version": BATON_VERSION }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter(), { scheduledDelayMillis: 1000 })],
  });
  const propagator = new W3CTraceContextPropagator();
  return {
    tracer: provider.getTracer("baton", BATON_VERSION),
    flush: () => provider.forceFlush(),
    contextOf: (traceparent) =>
      traceparent ? propagator.extract(ROOT_CONTEXT, { traceparent }, { get: (carrier, key) => carrier[key as "traceparent"], keys: (carrier) => Object.keys(carrier) }) : ROOT_CONTEXT,
    inside: (span) => trace.setSpan(ROOT_CONTEXT, span),
  };
}
