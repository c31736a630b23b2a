import { trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Plugin } from 'graphql-yoga';

const tracer = trace.getTracer('plexus.query-api');

/** One span per GraphQL execution, named after the operation. */
export function useSelfTracing(): Plugin {
  return {
    onExecute({ args }) {
      const name = args.operationName ?? 'anonymous';
      const span = tracer.startSpan(`graphql.execute ${name}`, { kind: SpanKind.SERVER, attributes: { 'graphql.operation.name': name } });
      return {
        onExecuteDone({ result }) {
          const errors = 'errors' in result ? result.errors : undefined;
          if (errors?.length) span.setStatus({ code: SpanStatusCode.ERROR, message: errors[0]!.message });
          span.end();
        },
      };
    },
  };
}
