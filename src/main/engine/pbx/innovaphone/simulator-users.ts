// The simulator's PBX users, and which App objects may see them (user → Apps tab on a real PBX).
import { randomBytes } from 'node:crypto';

export interface SimUserConfig {
  /** Long Name. */
  cn: string;
  e164?: string;
  h323?: string;
  dn?: string;
  guid?: string;
  /** App objects assigned to this user; absent = every App object (handy default for tests). */
  apps?: string[];
}

export interface SimUser {
  guid: string;
  cn: string;
  e164: string;
  h323: string;
  dn: string;
  apps: string[] | null;
  hw: string;
}

export class SimUserBook {
  private readonly users = new Map<string, SimUser>();

  constructor(configs: SimUserConfig[]) {
    for (const config of configs) this.add(config);
  }

  add(config: SimUserConfig): SimUser {
    const user: SimUser = {
      guid: config.guid ?? randomBytes(16).toString('hex'),
      cn: config.cn,
      e164: config.e164 ?? '',
      h323: config.h323 ?? config.cn.toLowerCase().replace(/\s+/g, '.'),
      dn: config.dn ?? config.cn,
      apps: config.apps ?? null,
      hw: `0090333${randomBytes(3).toString('hex')}`,
    };
    this.users.set(user.guid, user);
    return user;
  }

  remove(user: SimUser): void {
    this.users.delete(user.guid);
  }

  get(guid: string): SimUser | undefined {
    return this.users.get(guid);
  }

  byCn(cn: string): SimUser | undefined {
    return [...this.users.values()].find((user) => user.cn === cn);
  }

  byNumber(e164: string): SimUser | undefined {
    return [...this.users.values()].find((user) => user.e164 !== '' && user.e164 === e164);
  }

  all(): SimUser[] {
    return [...this.users.values()];
  }

  isVisible(user: SimUser, app: string): boolean {
    return user.apps === null || user.apps.includes(app);
  }

  visibleTo(app: string): SimUser[] {
    return this.all().filter((user) => this.isVisible(user, app));
  }
}

/** RCC UserInfo for `user`; `update` absent on the initial list, "del" for a deleted/hidden user. */
export function userInfoMessage(user: SimUser, src: string, update?: string): Record<string, unknown> {
  return {
    api: 'RCC',
    mt: 'UserInfo',
    src,
    ...(update !== undefined ? { update } : {}),
    guid: user.guid,
    cn: user.cn,
    dn: user.dn,
    h323: user.h323,
    e164: user.e164,
    node: 'root',
    pbx: 'master',
    regs: [{ hw: user.hw }],
  };
}
