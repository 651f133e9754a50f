// A PBX WebSocket closed the polite way (close frame), or cut when the peer does not answer in time.
import WebSocket from 'ws';

/** Resolves once `socket` is closed: a close handshake, forced after `graceMs`; a connecting socket is cut. */
export async function closeWebSocket(socket: WebSocket, graceMs: number): Promise<void> {
  if (socket.readyState === WebSocket.CLOSED) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      socket.terminate();
      resolve();
    }, graceMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
    else socket.close(1000);
  });
}
