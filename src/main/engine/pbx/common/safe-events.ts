// Adapter → Bridge events, guarded: a failing listener is logged, never thrown into protocol code.
import type { Logger } from '../../log/logger';
import type { AdapterContext, PbxCallEvent } from '../adapter';

export interface CallEmitter {
  (event: PbxCallEvent): void;
}

export function callEmitter(ctx: AdapterContext, log: Logger): CallEmitter {
  // No line per event here: the Bridge logs each call change once (and unchanged events at debug).
  return (event) => {
    try {
      ctx.events.call(event);
    } catch (error) {
      log.error('call listener failed', { error: error instanceof Error ? error.message : String(error) });
    }
  };
}
