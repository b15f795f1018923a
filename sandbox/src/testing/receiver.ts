import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface ReceivedEvent {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the receiver answers; by default 202 with a JSON body. */
export type Answer = (event: ReceivedEvent) => { status: number; headers?: Record<string, string> };

/** A local webhook receiver standing in for Crossdock in the sandbox's own tests. */
export interface Receiver {
  url: string;
  events: ReceivedEvent[];
  answer: Answer;
  /** Resolves when at least `count` events arrived on `path` (bounded by `timeoutMs`). */
  waitFor(path: string, count?: number, timeoutMs?: number): Promise<ReceivedEvent[]>;
  json(path: string): unknown[];
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const events: ReceivedEvent[] = [];
  const waiters = new Set<() => void>();
  const receiver: Receiver = {
    url: '',
    events,
    answer: () => ({ status: 202 }),
    waitFor(path, count = 1, timeoutMs = 5_000) {
      const matching = () => events.filter((e) => e.path === path);
      return new Promise((resolve, reject) => {
        const check = () => {
          if (matching().length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(matching());
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`only ${matching().length} of ${count} events on ${path}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    json(path) {
      return events.filter((e) => e.path === path).map((e) => JSON.parse(e.body) as unknown);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const event = {
        path: (req.url ?? '').replace(/^\/hooks\//, ''),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const answer = receiver.answer(event);
      if (answer.status < 300) events.push(event);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify({ received: answer.status < 300 }));
      for (const wake of [...waiters]) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  receiver.url = `http://127.0.0.1:${port}/hooks`;
  return receiver;
}
