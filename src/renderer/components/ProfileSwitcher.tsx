import { useId, useState } from 'preact/hooks';
import type { ProfileSummary } from '../../shared/bridge-types';
import type { DiallerApi } from '../../shared/ipc-contract';
import { useAction } from '../hooks/use-action';

interface ProfileSwitcherProps {
  api: DiallerApi;
  profiles: ProfileSummary[];
  activeProfileId: string;
}

/** The PBX profile in use; choosing another one switches the bridge to it. */
export function ProfileSwitcher({ api, profiles, activeProfileId }: ProfileSwitcherProps) {
  const id = useId();
  const action = useAction();
  const [chosen, setChosen] = useState<string | null>(null);
  // While a switch is under way, show the choice; afterwards the snapshot decides.
  const shown = action.pending && chosen ? chosen : activeProfileId;

  const choose = async (profileId: string) => {
    if (profileId === activeProfileId) return;
    setChosen(profileId);
    await action.run(() => api.switchProfile(profileId));
    setChosen(null);
  };

  return (
    <div class="profile-switcher">
      <label class="caption" for={id}>
        PBX profile
      </label>
      <select
        id={id}
        value={shown}
        disabled={action.pending}
        aria-describedby={action.failed ? `${id}-error` : undefined}
        onChange={(event) => void choose(event.currentTarget.value)}
      >
        {profiles.map((profile) => (
          <option key={profile.id} value={profile.id}>
            {profile.name}
          </option>
        ))}
      </select>
      {action.failed && (
        <p id={`${id}-error`} class="field-error" role="alert">
          Could not switch: {action.message}
        </p>
      )}
    </div>
  );
}
