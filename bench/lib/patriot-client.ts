import WebSocket from 'ws';

/** A minimal Patriot (Websocket Client Dialler) for benchmarks: authenticates, then exposes raw frames. */
export async function connectPatriot(url: string, apiKey: string, ca: string): Promise<BenchPatriot> {
  const socket = new WebSocket(url, { ca });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const patriot = new BenchPatriot(socket);
  socket.send(JSON.stringify({ type: 'init-request', payload: { userName: 'bench', password: apiKey } }));
  await patriot.waitFor((m) => m.type === 'init-response');
  return patriot;
}

export class BenchPatriot {
  private waiters: {
    match: (m: Record<string, unknown>) => boolean;
    resolve: (m: Record<string, unknown>) => void;
  }[] = [];

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(message)) return true;
        w.resolve(message);
        return false;
      });
    });
  }

  waitFor(match: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  close(): void {
    this.socket.terminate();
  }
}

export const isStatus = (active: boolean) => (m: Record<string, unknown>) =>
  m.type === 'call-status-update' && (m.payload as { callActive?: boolean }).callActive === active;
