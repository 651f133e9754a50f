import WebSocket from 'ws';

/** Starts the close handshake and terminates the socket if the peer has not finished it within `graceMs`. */
export function closeGracefully(
  socket: WebSocket,
  code: number,
  reason: string,
  graceMs: number,
): Promise<void> {
  return new Promise((resolve) => {
    if (socket.readyState === WebSocket.CLOSED) {
      resolve();
      return;
    }
    const timer = setTimeout(() => socket.terminate(), graceMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.close(code, reason);
  });
}
