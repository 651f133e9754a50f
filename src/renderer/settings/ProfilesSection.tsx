import { useState } from 'preact/hooks';
import type { DiallerApi, SettingsView } from '../../shared/ipc-contract';
import { useAction } from '../hooks/use-action';
import { draftFromProfile, newDraft, type ProfileDraft } from '../logic/profile-form';
import { ActionMessage } from './ActionMessage';
import { ConfirmButton } from './ConfirmButton';
import { ProfileEditor } from './ProfileEditor';

interface ProfilesSectionProps {
  api: DiallerApi;
  settings: SettingsView;
  locked: boolean;
  reload: () => Promise<void>;
}

interface Editing {
  draft: ProfileDraft;
  storedSecrets: Record<string, { stored: boolean }>;
}

/** The list of PBX profiles: switch, add, edit, delete. */
export function ProfilesSection({ api, settings, locked, reload }: ProfilesSectionProps) {
  const [editing, setEditing] = useState<Editing | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const action = useAction();
  const typeLabel = (type: string) => settings.profileTypes.find((info) => info.type === type)?.label ?? type;

  const run = async (work: () => ReturnType<DiallerApi['switchProfile']>, done: string) => {
    setSaved(null);
    await action.run(work, done);
    await reload();
  };

  if (editing) {
    return (
      <section class="settings-section" aria-label="Profiles">
        <h2 class="section-title">Profiles</h2>
        <ProfileEditor
          api={api}
          initial={editing.draft}
          storedSecrets={editing.storedSecrets}
          profileTypes={settings.profileTypes}
          takenIds={settings.profiles.map((profile) => profile.id)}
          locked={locked}
          onCancel={() => setEditing(null)}
          onSaved={() => {
            action.clear();
            setSaved(editing.draft.isNew ? 'Profile added.' : 'Profile saved.');
            setEditing(null);
            void reload();
          }}
        />
      </section>
    );
  }

  return (
    <section class="settings-section" aria-labelledby="profiles-title">
      <h2 id="profiles-title" class="section-title">
        Profiles
      </h2>
      <ul class="profile-list">
        {settings.profiles.map((profile) => {
          const active = profile.id === settings.activeProfileId;
          return (
            <li key={profile.id} class="profile-item" data-profile={profile.id}>
              <div class="profile-item-text">
                <span class="profile-name">{profile.name}</span>
                <span class="muted">
                  {typeLabel(profile.type)}
                  {active && <span class="badge tone-ok">in use</span>}
                </span>
              </div>
              <div class="button-row">
                {!active && (
                  <button
                    type="button"
                    disabled={action.pending}
                    onClick={() =>
                      void run(() => api.switchProfile(profile.id), `Now using ${profile.name}.`)
                    }
                  >
                    Use
                  </button>
                )}
                <button
                  type="button"
                  aria-label={`${locked ? 'View' : 'Edit'} ${profile.name}`}
                  onClick={() =>
                    setEditing({
                      draft: draftFromProfile(
                        profile,
                        settings.profileTypes.find((info) => info.type === profile.type),
                      ),
                      storedSecrets: profile.secrets,
                    })
                  }
                >
                  {locked ? 'View' : 'Edit'}
                </button>
                {!active && !locked && (
                  <ConfirmButton
                    label="Delete"
                    question={`Delete the profile “${profile.name}”? Its stored passwords are removed too.`}
                    confirmLabel="Delete profile"
                    danger
                    onConfirm={() =>
                      void run(() => api.deleteProfile(profile.id), `Deleted ${profile.name}.`)
                    }
                  />
                )}
              </div>
            </li>
          );
        })}
      </ul>
      {!locked && (
        <button
          type="button"
          onClick={() => setEditing({ draft: newDraft(settings.profileTypes[0]), storedSecrets: {} })}
        >
          Add profile
        </button>
      )}
      <ActionMessage action={action} />
      {saved && !action.message && (
        <p class="field-ok" role="status">
          {saved}
        </p>
      )}
    </section>
  );
}
