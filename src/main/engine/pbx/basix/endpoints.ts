// Where a Basix profile connects: ws_cti over wss (ws for http://), REST under /basix/api, HTTP Basic auth.

export interface BasixEndpointProfile {
  url: string;
  domain: string;
  token: string;
  appName: string;
  userName: string;
  forced: boolean;
}

/** The ws_cti URL (no credentials in it: they go in the Authorization header). */
export function wsCtiUrl(profile: BasixEndpointProfile): string {
  const base = new URL(profile.url);
  const url = new URL('/basix/api/ws_cti', `${base.protocol === 'http:' ? 'ws:' : 'wss:'}//${base.host}`);
  url.searchParams.set('app_name', profile.appName);
  url.searchParams.set('user_name', profile.userName);
  if (profile.forced) url.searchParams.set('forced', 'true');
  return url.href;
}

/** <url>/basix/api/<method>; a path in the profile's url is ignored (contract). */
export function restUrl(profile: Pick<BasixEndpointProfile, 'url'>, method: string): string {
  const base = new URL(profile.url);
  return new URL(`/basix/api/${method}`, `${base.protocol}//${base.host}`).href;
}

export function basicAuth(profile: Pick<BasixEndpointProfile, 'domain' | 'token'>): string {
  return `Basic ${Buffer.from(`${profile.domain}:${profile.token}`, 'utf8').toString('base64')}`;
}
