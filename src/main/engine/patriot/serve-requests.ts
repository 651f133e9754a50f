import type { Logger } from '../log/logger';
import type { PatriotPeerRef, PatriotRequestHandler } from './endpoint';
import type { PeerChannel } from './peer-channel';
import type { ParseResult, PatriotMessage } from './protocol';

/**
 * Serves what Patriot may ask of an authenticated connection, the same in server and client mode.
 * Returns false for message types this role does not serve (the caller logs them at debug).
 */
export function serveAuthenticatedRequest(
  message: PatriotMessage,
  channel: PeerChannel,
  peer: PatriotPeerRef,
  handler: PatriotRequestHandler,
  log: Logger,
): boolean {
  try {
    switch (message.type) {
      case 'dial-request':
        // Dispatched before it is logged: the PBX command should not wait for a log line. The dial's info
        // line ("dial sent to the PBX" or "dial refused", with the peer) comes from the Bridge.
        handler.dial({ phoneNo: message.payload.phoneNo, rawPhoneNo: message.payload.rawPhoneNo }, peer);
        log.debug('Patriot dial-request', { peer: peer.label, phoneNo: message.payload.phoneNo });
        return true;
      case 'hangup-request':
        // The Bridge logs the hang-up at info, naming this peer as its source.
        log.debug('Patriot hangup-request', { peer: peer.label });
        handler.hangup(peer);
        return true;
      case 'call-status-request':
        channel.sendStatus(handler.currentStatus());
        return true;
      case 'heartbeat':
        channel.send({ type: 'heartbeat-response' });
        return true;
      default:
        return false;
    }
  } catch (error) {
    // Handlers promise not to throw; a bug there must still not take the connection down.
    log.error('Patriot request handler threw', { type: message.type, error });
    return true;
  }
}

/**
 * A frame an authenticated peer sent that did not pass the schema. A dial-request among them is answered
 * with callActive:false (Patriot must never wait for a dial that will not happen); the rest are dropped.
 */
export function answerMalformedRequest(
  parsed: Extract<ParseResult, { ok: false }>,
  channel: PeerChannel,
  peer: PatriotPeerRef,
  log: Logger,
): void {
  if (parsed.type !== 'dial-request') {
    log.debug('dropped a Patriot frame', { peer: peer.label, reason: parsed.reason });
    return;
  }
  log.warn('Patriot dial-request refused: malformed', {
    peer: peer.label,
    reason: parsed.reason.slice(0, 200),
  });
  channel.sendStatus({ callActive: false });
}
