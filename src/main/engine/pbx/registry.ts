import type { ProfileConfig, ProfileType } from '../config/schema';
import type { AdapterContext, PbxAdapter } from './adapter';
import { createSimulatorAdapter } from './simulator/adapter';
import { createViptelAdapter } from './viptel/adapter';
import { createInnovaphoneAdapter } from './innovaphone/adapter';
import { createBasixAdapter } from './basix/adapter';
import { createHarmonyAdapter } from './harmony/adapter';

type FactoryFor<T extends ProfileType> = (
  profile: Extract<ProfileConfig, { type: T }>,
  ctx: AdapterContext,
) => PbxAdapter;

/** One factory per PBX type; a profile's `type` picks its adapter. A new type must add its factory here. */
const factories: { [T in ProfileType]: FactoryFor<T> } = {
  simulator: createSimulatorAdapter,
  viptel: createViptelAdapter,
  innovaphone: createInnovaphoneAdapter,
  basix: createBasixAdapter,
  harmony: createHarmonyAdapter,
};

export function createAdapter(profile: ProfileConfig, ctx: AdapterContext): PbxAdapter {
  // Every profile type has a factory (the map's type requires it); the cast pairs profile and factory.
  const factory = factories[profile.type] as FactoryFor<typeof profile.type>;
  return factory(profile as never, ctx);
}
