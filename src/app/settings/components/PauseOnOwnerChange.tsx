// The organization setting "pause the AI when an agent takes ownership" (the backend's owner-change
// handler reads it). Saved on change: while saving the toggle shows the new value and is read-only;
// afterwards it shows the backend's value, so a failed save flips it back.
import { useState } from 'react';
import { Alert, Flex, Toggle } from '@hubspot/ui-extensions';
import type { SettingsPatch } from '../../cards/utils/contract.js';
import { toSettingsError } from '../hooks/useSettings.js';

/** Props of {@link PauseOnOwnerChange}. */
export interface PauseOnOwnerChangeProps {
  value: boolean;
  save: (patch: SettingsPatch) => Promise<void>;
}

type SaveStatus = { kind: 'idle' } | { kind: 'saving'; to: boolean } | { kind: 'saved' } | { kind: 'failed'; message: string };

/** The pause-on-owner-change toggle with its saving, saved and error states. */
export function PauseOnOwnerChange({ value, save }: PauseOnOwnerChangeProps) {
  const [status, setStatus] = useState<SaveStatus>({ kind: 'idle' });

  const onChange = (checked: boolean) => {
    if (status.kind === 'saving') return;
    setStatus({ kind: 'saving', to: checked });
    save({ pauseOnOwnerChange: checked }).then(
      () => setStatus({ kind: 'saved' }),
      (error: unknown) => setStatus({ kind: 'failed', message: toSettingsError(error).message }),
    );
  };

  return (
    <Flex direction="column" gap="xs">
      <Toggle
        testId="pause-on-owner-change"
        name="pauseOnOwnerChange"
        label="Pause the AI when an agent takes ownership of a ticket or conversation"
        labelDisplay="inline"
        checked={status.kind === 'saving' ? status.to : value}
        readonly={status.kind === 'saving'}
        onChange={onChange}
      />
      {status.kind === 'saved' ? (
        <Alert testId="pause-on-owner-change-saved" title="Saved" variant="success">
          {value ? 'The AI now pauses when an agent takes ownership.' : 'The AI keeps answering when an agent takes ownership.'}
        </Alert>
      ) : null}
      {status.kind === 'failed' ? (
        <Alert testId="pause-on-owner-change-error" title="Couldn't save" variant="error">
          {status.message}
        </Alert>
      ) : null}
    </Flex>
  );
}
