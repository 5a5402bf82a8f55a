// Which HubSpot teams are asked to take over when a handoff is requested. The page cannot list all
// of the account's teams (that needs the backend and a scope we do not ask for), so it offers the
// teams already configured plus the teams of the person editing; a draft is saved on demand.
import { useState } from 'react';
import { Alert, Flex, LoadingButton, MultiSelect } from '@hubspot/ui-extensions';
import type { HandoffTeam, SettingsPatch } from '../../cards/utils/contract.js';
import { toSettingsError } from '../hooks/useSettings.js';

/** Props of {@link HandoffTeamsEditor}. */
export interface HandoffTeamsEditorProps {
  /** The saved teams. */
  teams: HandoffTeam[];
  /** The viewing user's HubSpot teams (`context.user.teams`). */
  userTeams: readonly { id: number; name: string }[];
  save: (patch: SettingsPatch) => Promise<void>;
}

type SaveStatus = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'failed'; message: string };

/** The handoff teams picker with its Save button. */
export function HandoffTeamsEditor({ teams, userTeams, save }: HandoffTeamsEditorProps) {
  const known = knownTeams(teams, userTeams);
  const [draft, setDraft] = useState<string[]>(() => teams.map((t) => t.id));
  const [status, setStatus] = useState<SaveStatus>({ kind: 'idle' });
  const changed = !sameIds(draft, teams.map((t) => t.id));

  const onSave = () => {
    if (status.kind === 'saving') return;
    setStatus({ kind: 'saving' });
    const handoffTeams = known.filter((team) => draft.includes(team.id));
    save({ handoffTeams }).then(
      () => setStatus({ kind: 'saved' }),
      (error: unknown) => setStatus({ kind: 'failed', message: toSettingsError(error).message }),
    );
  };

  return (
    <Flex direction="column" gap="xs">
      <MultiSelect
        testId="handoff-teams"
        name="handoffTeams"
        label="Handoff teams"
        description="Teams asked to take over when someone requests a handoff. Lists the teams already chosen and your own HubSpot teams."
        placeholder="No team chosen"
        options={known.map((team) => ({ label: team.name, value: team.id }))}
        value={draft}
        onChange={(value) => {
          setDraft(value.map(String));
          setStatus({ kind: 'idle' });
        }}
      />
      <LoadingButton
        testId="handoff-teams-save"
        size="sm"
        loading={status.kind === 'saving'}
        disabled={!changed || status.kind === 'saving'}
        onClick={onSave}
      >
        Save handoff teams
      </LoadingButton>
      {status.kind === 'saved' ? (
        <Alert testId="handoff-teams-saved" title="Saved" variant="success">
          Handoff teams updated.
        </Alert>
      ) : null}
      {status.kind === 'failed' ? (
        <Alert testId="handoff-teams-error" title="Couldn't save" variant="error">
          {status.message}
        </Alert>
      ) : null}
    </Flex>
  );
}

/**
 * The teams the picker offers: saved ones first, then the user's other teams, each once.
 * @param saved the configured teams
 * @param userTeams the viewing user's teams
 * @returns the options as HandoffTeams
 */
export function knownTeams(saved: readonly HandoffTeam[], userTeams: readonly { id: number; name: string }[]): HandoffTeam[] {
  const byId = new Map<string, HandoffTeam>(saved.map((team) => [team.id, team]));
  for (const team of userTeams) {
    const id = String(team.id);
    if (!byId.has(id)) byId.set(id, { id, name: team.name });
  }
  return [...byId.values()];
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}
