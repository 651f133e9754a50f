import type { ProfileConfig, ProfileType } from '../config/schema';
import type { AdapterContext, PbxAdapter } from './adapter';
import { createSimulatorAdapter } from './simulator/adapter';
import { createViptelAdapter } from './viptel/adapter';
import { createInnovaphoneAdapter } from './innovaphone/adapter';

type FactoryFor<T extends ProfileType> = (
  profile: Extract<ProfileConfig, { type: T }>,
  ctx: AdapterContext,
) => PbxAdapter;

/** One factory per PBX type; a profile's `type` picks its adapter. */
const factories: { [T in ProfileType]?: FactoryFor<T> } = {
  simulator: createSimulatorAdapter,
  viptel: createViptelAdapter,
  innovaphone: createInnovaphoneAdapter,
};

export function createAdapter(profile: ProfileConfig, ctx: AdapterContext): PbxAdapter {
  const factory = factories[profile.type] as FactoryFor<typeof profile.type> | undefined;
  if (!factory) throw new Error(`No adapter is available for PBX type "${profile.type}"`);
  return factory(profile as never, ctx);
}
