/** Limits of one GET. */
export interface FetchLimits {
  timeoutMs: number;
  /** Bytes of the (decompressed) body; reading stops as soon as it is exceeded. */
  maxBytes: number;
}

/** Why a request failed, in one line: the HTTP status, the timeout, or the network error under fetch's generic "fetch failed". */
export function describeFetchError(err: unknown, timeoutMs: number): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const cause = e?.cause?.message ?? e?.cause?.code;
  return cause ? `${e.message}: ${cause}` : String(e?.message ?? err);
}

/** GETs a URL as text within a timeout and a size limit; throws an Error saying why when it cannot. */
export async function fetchText(fetchFn: typeof fetch, url: string, accept: string, limits: FetchLimits): Promise<string> {
  let res: Response;
  const signal = AbortSignal.timeout(limits.timeoutMs);
  const target = new URL(url);
  const headers: Record<string, string> = { accept };
  // fetch refuses URLs with credentials; they become Basic authentication (a Prometheus behind a proxy).
  if (target.username || target.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64')}`;
    target.username = '';
    target.password = '';
  }
  try {
    res = await fetchFn(target.href, { headers, signal, redirect: 'follow' });
  } catch (err) {
    throw new Error(describeFetchError(err, limits.timeoutMs));
  }
  if (!res.ok) {
    const body = (await res.text().catch(() => '')).trim().slice(0, 200);
    throw new Error(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${body ? `: ${body}` : ''}`);
  }
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > limits.maxBytes) {
    await res.body?.cancel();
    throw new Error(`body of ${declared} bytes exceeds the limit of ${limits.maxBytes} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  let tooBig = false;
  try {
    for await (const chunk of res.body ?? []) {
      size += chunk.length;
      // Leaving the loop cancels the stream, so an endless body stops here.
      if (size > limits.maxBytes) {
        tooBig = true;
        break;
      }
      chunks.push(chunk);
    }
  } catch (err) {
    throw new Error(`reading the body failed: ${describeFetchError(err, limits.timeoutMs)}`);
  }
  if (tooBig) throw new Error(`body exceeds the limit of ${limits.maxBytes} bytes`);
  return Buffer.concat(chunks).toString('utf8');
}
