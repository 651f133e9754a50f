// A self-signed certificate for 127.0.0.1 that a simulator serves and a profile's caFile trusts, made once
// per test file and removed after it.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, beforeAll } from 'vitest';
import { makeTempDir } from './temp-dir';

export interface ServerCertificate {
  /** What the simulator serves. */
  tls: { cert: string; key: string };
  /** The certificate as a file, for the profile's caFile. */
  caFile: string;
}

/** Registers the file's beforeAll/afterAll; read the fields inside tests (they are set by then). */
export function useServerCertificate(name: string): ServerCertificate {
  const made = {} as ServerCertificate;
  let cleanup: () => Promise<void> = () => Promise.resolve();
  beforeAll(async () => {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      algorithm: 'sha256',
      keySize: 2048,
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    const temp = await makeTempDir(`${name}-tls-`);
    cleanup = temp.cleanup;
    made.tls = { cert: pems.cert, key: pems.private };
    made.caFile = path.join(temp.dir, `${name}-ca.pem`);
    await writeFile(made.caFile, pems.cert);
  });
  afterAll(() => cleanup());
  return made;
}
