import {
  Attributes,
  Context,
  Span,
  SpanKind,
  SpanStatusCode,
  TextMapGetter,
  TextMapSetter,
  Tracer,
  context,
  propagation,
  trace,
} from '@opentelemetry/api';
import type { BaseConfig } from '@app/config';

export { SpanKind };
export type { Context, Span };

type TracingConfig = Pick<
  BaseConfig,
  | 'OTEL_SDK_DISABLED'
  | 'OTEL_TRACES_EXPORTER'
  | 'OTEL_EXPORTER_OTLP_ENDPOINT'
  | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'
  | 'OTEL_SERVICE_NAME'
  | 'OTEL_EXPORTER_OTLP_PROTOCOL'
  | 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'
>;

interface Provider {
  shutdown(): Promise<void>;
}

/** Set once at boot; every helper below does nothing (and allocates nothing) while it is unset. */
let tracer: Tracer | undefined;
let provider: Provider | undefined;

/**
 * Whether the environment asks for traces: the OTLP exporter named by OTEL_TRACES_EXPORTER, or left
 * unnamed while an OTLP endpoint is given; never with OTEL_SDK_DISABLED=true. Off by default.
 */
export function tracesWanted(config: TracingConfig): boolean {
  if (config.OTEL_SDK_DISABLED) return false;
  if (config.OTEL_TRACES_EXPORTER === 'otlp') return true;
  if (config.OTEL_TRACES_EXPORTER === 'none') return false;
  return config.OTEL_EXPORTER_OTLP_ENDPOINT !== '' || config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== '';
}

/**
 * Starts the OpenTelemetry SDK when the environment asks for traces: spans batched to the OTLP/HTTP
 * exporter, protobuf or JSON (it reads its own OTEL_EXPORTER_OTLP_* variables), sampled as
 * OTEL_TRACES_SAMPLER says, W3C trace context. Otherwise the SDK is never loaded and every helper is a no-op.
 */
export function startTracing(service: string, config: TracingConfig): boolean {
  if (tracer || !tracesWanted(config)) return tracer !== undefined;
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when traces are wanted */
  const { NodeTracerProvider, BatchSpanProcessor } =
    require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  // The standard's default is protobuf; JSON when asked for (a collector that takes only JSON, a test).
  const json = (config.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || config.OTEL_EXPORTER_OTLP_PROTOCOL) === 'http/json';
  const { OTLPTraceExporter } = json
    ? (require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http'))
    : (require('@opentelemetry/exporter-trace-otlp-proto') as typeof import('@opentelemetry/exporter-trace-otlp-proto'));
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const sdk = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.OTEL_SERVICE_NAME || service }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  sdk.register();
  provider = sdk;
  tracer = trace.getTracer('chat-backbone');
  return true;
}

/** Sends the spans still batched; at shutdown. */
export async function shutdownTracing(): Promise<void> {
  await provider?.shutdown();
}

export function tracingOn(): boolean {
  return tracer !== undefined;
}

/** The trace context of the work running now (undefined while tracing is off). */
export function activeContext(): Context | undefined {
  return tracer ? context.active() : undefined;
}

export function activeSpan(): Span | undefined {
  return tracer ? trace.getActiveSpan() : undefined;
}

/** A span, child of `parent` (default: the active context); undefined while tracing is off. */
export function startSpan(name: string, kind: SpanKind, attributes?: Attributes, parent?: Context): Span | undefined {
  return tracer?.startSpan(name, { kind, attributes }, parent ?? context.active());
}

/** Runs `fn` with `span` active (so the spans and NATS messages it starts are its children). */
export function withSpan<T>(span: Span | undefined, fn: () => T, parent?: Context): T {
  if (!span) return fn();
  return context.with(trace.setSpan(parent ?? context.active(), span), fn);
}

/** Ends a span; `failure` (an error, or the contract's error code) marks it failed. */
export function endSpan(span: Span | undefined, failure?: unknown): void {
  if (!span) return;
  if (failure !== undefined) {
    const message =
      failure instanceof Error
        ? `${failure.name}: ${failure.message}`
        : typeof failure === 'string'
          ? failure
          : 'failed';
    span.setStatus({ code: SpanStatusCode.ERROR, message });
    if (failure instanceof Error) span.recordException(failure);
  }
  span.end();
}

/**
 * Runs `fn` inside a new span that ends when its promise settles (failed if it rejects). The
 * attributes are asked for only while tracing is on.
 */
export function traced<T>(
  name: string,
  kind: SpanKind,
  fn: () => Promise<T>,
  attributes?: () => Attributes,
): Promise<T> {
  if (!tracer) return fn();
  const span = tracer.startSpan(name, { kind, attributes: attributes?.() });
  return withSpan(span, fn).then(
    (value) => {
      endSpan(span);
      return value;
    },
    (err: unknown) => {
      endSpan(span, err);
      throw err;
    },
  );
}

/** Writes `ctx`'s trace context (W3C `traceparent`, `tracestate`) into a carrier. */
export function injectTrace<C>(ctx: Context, carrier: C, setter: TextMapSetter<C>): void {
  propagation.inject(ctx, carrier, setter);
}

/** The trace context a carrier holds (the active one when it holds none); undefined while tracing is off. */
export function extractTrace<C>(carrier: C, getter: TextMapGetter<C>): Context | undefined {
  return tracer ? propagation.extract(context.active(), carrier, getter) : undefined;
}

/** A subject as a span names it: ids (any part with a digit, longer than 8) become `*`. */
export function subjectTemplate(subject: string): string {
  return subject
    .split('.')
    .map((part) => (part.length > 8 && /\d/.test(part) ? '*' : part))
    .join('.');
}
