// The PBX users visible to our App object, as the RCC UserInfo indications describe them.
import type { UserInfoRecord } from './wire';

export interface DirectoryUser {
  /** guid when the PBX sends one (documented), else the cn. */
  key: string;
  cn: string;
  e164?: string;
}

export class UserDirectory {
  private readonly users = new Map<string, DirectoryUser>();

  get size(): number {
    return this.users.size;
  }

  get(key: string): DirectoryUser | undefined {
    return this.users.get(key);
  }

  apply(info: UserInfoRecord): void {
    const key = info.guid ?? (info.cn === undefined ? undefined : `cn:${info.cn}`);
    if (key === undefined) return;
    if (info.deleted) {
      this.users.delete(key);
      return;
    }
    if (info.cn === undefined) return;
    this.users.set(key, { key, cn: info.cn, e164: info.e164 });
  }

  /**
   * The user configured as `name`: its Long Name exactly, else ignoring case and outer spaces, else (if
   * `name` is a number) the user with that extension (inferred convenience: UserInitialize needs the cn).
   */
  find(name: string): DirectoryUser | undefined {
    const all = [...this.users.values()];
    const folded = name.trim().toLowerCase();
    return (
      all.find((user) => user.cn === name) ??
      all.find((user) => user.cn.trim().toLowerCase() === folded) ??
      (/^[0-9]+$/.test(name.trim()) ? all.find((user) => user.e164 === name.trim()) : undefined)
    );
  }
}
