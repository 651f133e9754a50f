import { ensureCertificate, loadCertificateFiles, type ServerCertificate } from '../tls/certificate';
import { loadOrCreateApiKey } from './api-keys';
import { PatriotClient } from './client';
import type { CreatePatriotEndpoint } from './endpoint';
import { PatriotServer } from './server';

/**
 * Builds the endpoint for `config.mode`. Server mode resolves the accepted API keys (config, or the key
 * kept in dataDir) and the certificate (configured files, or the one generated into dataDir).
 */
export const createPatriotEndpoint: CreatePatriotEndpoint = async (config, deps) => {
  const log = deps.log.child({ component: 'patriot' });

  if (config.mode === 'client') {
    if (!config.connect) throw new Error('patriot.connect is required when patriot.mode is "client"');
    log.addSecret(config.connect.apiKey);
    return new PatriotClient({
      connect: config.connect,
      maxPayloadBytes: config.maxPayloadBytes,
      handler: deps.handler,
      log,
      timings: deps.timings,
    });
  }

  for (const key of config.apiKeys) log.addSecret(key);
  let apiKeys = config.apiKeys;
  let apiKeyFile: string | null = null;
  if (apiKeys.length === 0) {
    const stored = await loadOrCreateApiKey(deps.dataDir);
    log.addSecret(stored.key);
    apiKeys = [stored.key];
    apiKeyFile = stored.file;
    log.info(
      stored.created
        ? 'generated an API key for Patriot; give Patriot the key from this file'
        : 'using the API key kept in this file',
      { file: stored.file },
    );
  }

  let certificate: ServerCertificate;
  if (config.tls.certFile && config.tls.keyFile) {
    certificate = await loadCertificateFiles(config.tls.certFile, config.tls.keyFile);
  } else {
    const ensured = await ensureCertificate(deps.dataDir);
    certificate = ensured;
    if (ensured.replacedBecause) {
      // A new fingerprint: Patriot must be told, so this is a warning, not an info line.
      log.warn('replaced the bridge TLS certificate; Patriot must trust the new one', {
        file: ensured.certFile,
        replacedBecause: ensured.replacedBecause,
      });
    } else if (ensured.generated) {
      log.info('generated the bridge TLS certificate; Patriot must trust it', { file: ensured.certFile });
    }
  }
  log.info('bridge TLS certificate', {
    file: certificate.certFile,
    fingerprint256: certificate.fingerprint256,
    validTo: certificate.validTo.toISOString(),
  });

  return new PatriotServer({
    config,
    apiKeys,
    apiKeyFile,
    certificate,
    handler: deps.handler,
    log,
    timings: deps.timings,
  });
};
