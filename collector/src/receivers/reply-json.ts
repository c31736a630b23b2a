import type { ServerResponse } from 'node:http';

/** Answers with a JSON body, unless an answer was already started (a failure after the reply). */
export function replyJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
