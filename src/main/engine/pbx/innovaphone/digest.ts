import { createHash } from 'node:crypto';

/** The AppLogin fields that go into the digest (`pbxObj` does not). Missing strings count as "". */
export interface AppLoginIdentity {
  app?: string;
  domain?: string;
  sip?: string;
  guid?: string;
  dn?: string;
  /** The `info` object exactly as sent (compact JSON); absent when the AppLogin carries no `info`. */
  infoJson?: string;
}

/**
 * AppLogin digest (AppWebsocket spec): lowercase hex SHA-256 of
 * `app:domain:sip:guid:dn[:info]:challenge:password`, where the info segment and its colon are left out
 * when the login carries no `info`.
 */
export function appLoginDigest(
  identity: AppLoginIdentity,
  challenge: string | number,
  password: string,
): string {
  const parts = [identity.app, identity.domain, identity.sip, identity.guid, identity.dn].map((v) => v ?? '');
  if (identity.infoJson !== undefined) parts.push(identity.infoJson);
  // Old PBX builds sent the challenge as a JSON number (inferred from innovaphone's PHP library).
  parts.push(String(challenge), password);
  return createHash('sha256').update(parts.join(':'), 'utf8').digest('hex');
}
