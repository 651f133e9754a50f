import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { DiallerApi, FieldErrors, ProfileTypeInfo } from '../../shared/ipc-contract';
import { placeFieldErrors } from '../logic/field-errors';
import { checkDraft, draftToInput, NAME_FIELD, withType, type ProfileDraft } from '../logic/profile-form';
import { FormField } from './FormField';
import { SecretField } from './SecretField';

interface ProfileEditorProps {
  api: DiallerApi;
  initial: ProfileDraft;
  /** Secret names → whether one is stored (empty for a new profile). */
  storedSecrets: Record<string, { stored: boolean }>;
  profileTypes: ProfileTypeInfo[];
  takenIds: string[];
  locked: boolean;
  onSaved: () => void;
  onCancel: () => void;
}

function fieldNames(typeInfo: ProfileTypeInfo | undefined): string[] {
  return [
    NAME_FIELD,
    'type',
    ...(typeInfo?.fields.map((field) => field.name) ?? []),
    ...(typeInfo?.secretFields.map((secret) => secret.name) ?? []),
  ];
}

/** Adds or edits one PBX profile: client-side checks first, then the bridge's own field errors. */
export function ProfileEditor(props: ProfileEditorProps) {
  const { api, initial, storedSecrets, profileTypes, takenIds, locked, onSaved, onCancel } = props;
  const titleId = useId();
  const typeId = useId();
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [formMessage, setFormMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const typeInfo = profileTypes.find((info) => info.type === draft.type);

  // After a failed save, take the keyboard to the summary of problems (or else the first invalid field).
  useEffect(() => {
    if (attempt === 0) return;
    const form = formRef.current;
    const target =
      form?.querySelector<HTMLElement>('.form-problems') ??
      form?.querySelector<HTMLElement>('[aria-invalid="true"]');
    target?.focus();
  }, [attempt]);

  const showErrors = (found: FieldErrors, message: string | null) => {
    const jsonFields = typeInfo?.fields.filter((field) => field.kind === 'json').map((field) => field.name);
    const placed = placeFieldErrors(found, fieldNames(typeInfo), {}, jsonFields);
    setErrors(placed.byField);
    setUnplaced(placed.unplaced);
    setFormMessage(message);
    setAttempt((n) => n + 1);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const clientErrors = checkDraft(draft, typeInfo);
    if (Object.keys(clientErrors).length > 0) {
      showErrors(clientErrors, 'Please fix the fields marked below.');
      return;
    }
    setSaving(true);
    try {
      const result = await api.saveProfile(draftToInput(draft, typeInfo, takenIds));
      if (result.ok) {
        setDraft((current) => ({ ...current, secrets: {} }));
        onSaved();
        return;
      }
      showErrors(result.fieldErrors, result.message);
    } catch (error) {
      showErrors({}, `Could not save: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setSaving(false);
    }
  };

  const setValue = (name: string, value: string | boolean) =>
    setDraft((current) => ({ ...current, values: { ...current.values, [name]: value } }));
  const setSecret = (name: string, value: string) =>
    setDraft((current) => ({ ...current, secrets: { ...current.secrets, [name]: value } }));

  const hasProblems = formMessage !== null || unplaced.length > 0;
  return (
    <form
      class="profile-editor"
      ref={formRef}
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-labelledby={titleId}
    >
      <h3 id={titleId} class="subsection-title">
        {draft.isNew ? 'New profile' : `Edit “${initial.name}”`}
      </h3>
      {hasProblems && (
        <div class="form-problems" role="alert" tabIndex={-1}>
          {formMessage && <p>{formMessage}</p>}
          {unplaced.length > 0 && (
            <ul>
              {unplaced.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <fieldset disabled={locked || saving}>
        <FormField
          name={NAME_FIELD}
          label="Name"
          kind="text"
          required
          help="Shown in the profile switcher and the tray menu."
          value={draft.name}
          error={errors[NAME_FIELD]}
          onChange={(value) => setDraft((current) => ({ ...current, name: String(value) }))}
        />
        <div class="field" data-field="type">
          <label for={typeId}>PBX type</label>
          <select
            id={typeId}
            value={draft.type}
            disabled={!draft.isNew}
            aria-invalid={!!errors.type}
            onChange={(event) => {
              const next = profileTypes.find((info) => info.type === event.currentTarget.value);
              setDraft((current) => withType(current, next));
            }}
          >
            {profileTypes.map((info) => (
              <option key={info.type} value={info.type}>
                {info.label}
              </option>
            ))}
          </select>
          {errors.type && <p class="field-error">{errors.type}</p>}
        </div>
        {typeInfo?.fields.map((field) => (
          <FormField
            key={`${draft.type}:${field.name}`}
            name={field.name}
            label={field.label}
            kind={field.kind}
            required={field.required}
            help={field.help}
            value={draft.values[field.name] ?? (field.kind === 'checkbox' ? false : '')}
            error={errors[field.name]}
            onChange={(value) => setValue(field.name, value)}
          />
        ))}
        {typeInfo?.secretFields.map((secret) => (
          <SecretField
            key={`${draft.type}:${secret.name}`}
            name={secret.name}
            label={secret.label}
            stored={storedSecrets[secret.name]?.stored === true}
            typed={draft.secrets[secret.name] ?? ''}
            error={errors[secret.name]}
            onInput={(value) => setSecret(secret.name, value)}
          />
        ))}
      </fieldset>
      <div class="button-row">
        <button type="submit" class="button-primary" disabled={locked || saving}>
          {saving ? 'Saving…' : 'Save profile'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
