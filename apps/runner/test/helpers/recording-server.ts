/**
 * A loopback HTTP server that records every request it receives, raw: request line,
 * raw header lines and body. It echoes the request back as JSON (so tests can check that
 * echoed values are masked), and `/redirect?to=URL&status=N` answers with a redirect.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Request line, every raw header line and the body: what a leak check greps. */
  raw: string;
}

export interface RecordingServer {
  /** `http://HOST:PORT` */
  origin: string;
  host: string;
  port: number;
  requests: RecordedRequest[];
  /** True when any recorded request contains `text` anywhere (line, headers, body). */
  received(text: string): boolean;
  close(): Promise<void>;
}

export async function startRecordingServer(host = '127.0.0.1'): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headerLines: string[] = [];
      for (let index = 0; index < request.rawHeaders.length; index += 2)
        headerLines.push(`${request.rawHeaders[index]}: ${request.rawHeaders[index + 1]}`);
      const url = request.url ?? '';
      requests.push({
        method: request.method ?? '',
        url,
        headers: request.headers,
        body,
        raw: [`${request.method} ${url}`, ...headerLines, '', body].join('\n'),
      });
      const parsed = new URL(url, 'http://recording.invalid');
      if (parsed.pathname === '/redirect') {
        response.writeHead(Number(parsed.searchParams.get('status') ?? 302), { location: parsed.searchParams.get('to') ?? '/' });
        response.end();
        return;
      }
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ method: request.method, url, headers: request.headers, body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://${host}:${port}`,
    host,
    port,
    requests,
    received: (text) => requests.some((request) => decodeAll(request.raw).some((form) => form.includes(text))),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The raw text and its percent-decoded form, so an encoded value in a URL still counts. */
function decodeAll(raw: string): string[] {
  try {
    return [raw, decodeURIComponent(raw.replace(/\+/g, ' '))];
  } catch {
    return [raw];
  }
}
