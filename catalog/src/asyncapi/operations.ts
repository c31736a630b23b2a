import { Parser, fromFile } from '@asyncapi/parser';

/** One operation an AsyncAPI document declares for the application it describes. */
export interface EventOperation {
  /** What the described application does: `send` (produce) or `receive` (consume). */
  action: 'send' | 'receive';
  operationId: string;
  /** Channel id, and the address (topic) it stands for. */
  channel: string;
  address: string;
  messages: string[];
}

/** What one AsyncAPI document yields; `problems` are non-fatal (e.g. refused remote refs). */
export type AsyncApiResult =
  | { ok: true; version: string; title: string; operations: EventOperation[]; problems: string[] }
  | { ok: false; error: string; problems: string[] };

/**
 * Reads an AsyncAPI 2.x or 3.x document (a file, or text with the file it
 * came from, for relative refs) with the AsyncAPI parser. In 2.x,
 * `publish`/`subscribe` describe what other applications do; the parser's
 * `isSend()` turns both versions into what this application does. Remote
 * `$ref`s are read only from allowed hosts; others are reported and stubbed,
 * so the rest of the document still yields its operations.
 */
export async function asyncApiOperations(source: string | { text: string; baseFile: string }, opts: { allowedHosts?: readonly string[]; fetchText?: (url: URL) => Promise<string> } = {}): Promise<AsyncApiResult> {
  const problems: string[] = [];
  const remote = (schema: 'http' | 'https') => ({
    schema,
    order: 1,
    read: async (uri: { toString(): string }) => {
      const url = new URL(uri.toString());
      if (opts.allowedHosts?.includes(url.hostname) && opts.fetchText) return opts.fetchText(url);
      problems.push(`remote $ref ${url.href} is not allowed: add ${url.hostname} to catalog.allowedHosts to import it`);
      return '{}';
    },
  });
  const parser = new Parser({ __unstable: { resolver: { resolvers: [remote('https'), remote('http')] } } });
  let output;
  try {
    output = typeof source === 'string' ? await fromFile(parser, source).parse() : await parser.parse(source.text, { source: source.baseFile });
  } catch (err) {
    return { ok: false, error: (err as Error).message.split('\n')[0]!, problems };
  }
  const { document, diagnostics } = output;
  if (!document) {
    const first = diagnostics.find((d) => d.severity === 0);
    const where = first ? ` (line ${first.range.start.line + 1}${first.path.length ? `, ${first.path.join('.')}` : ''})` : '';
    return { ok: false, error: `${first?.message ?? 'not a valid AsyncAPI document'}${where}`, problems };
  }
  const operations: EventOperation[] = document.operations().all().flatMap((op) =>
    op.channels().all().map((channel) => ({
      action: op.isSend() ? ('send' as const) : ('receive' as const),
      operationId: op.operationId() ?? op.id() ?? '',
      channel: channel.id(),
      address: channel.address() ?? channel.id(),
      messages: op.messages().all().map((m) => m.name() ?? m.id()),
    })),
  );
  return { ok: true, version: document.version(), title: document.info().title(), operations, problems };
}
