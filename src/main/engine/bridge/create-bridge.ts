import { collectSecrets } from '../config/secrets';
import type { Logger } from '../log/logger';
import { createPatriotEndpoint } from '../patriot/create-endpoint';
import { createAdapter } from '../pbx/registry';
import { Bridge, type ResolvedConfig } from './bridge';
import type { BridgeController } from './controller';

/** The production bridge: real Patriot endpoint, adapters from the registry, config secrets scrubbed from logs. */
export function createBridge(config: ResolvedConfig, deps: { log: Logger }): BridgeController {
  for (const secret of collectSecrets(config)) deps.log.addSecret(secret);
  return new Bridge(config, { log: deps.log, createEndpoint: createPatriotEndpoint, createAdapter });
}
