// The platform-2026.03 rules of the offline project check, one broken copy per case: what HubSpot's docs require of
// a workflow action (supportedClients; agent tools with toolType and llmConfig; inputFieldDependencies allowed;
// isPublished optional) and this project's per-profile rules (every action published in production, localhost only
// in the local profile).
import { describe, expect, test } from '@jest/globals';
import { loadProjectCheck } from './helpers/load-project-check.js';
import { useProjectCopy } from './helpers/project-copy.js';

const { checkProject } = await loadProjectCheck();

const ACTIONS = ['pause-ai', 'request-handoff', 'resume-ai', 'send-to-ai'].map((name) => `src/app/workflow-actions/${name}-hsmeta.json`);
const [PAUSE_AI = '', , RESUME_AI = '', SEND_TO_AI = ''] = ACTIONS;
const APP = 'src/app/app-hsmeta.json';
const PRODUCTION = 'src/hsprofile.production.json';
const BOTH = ['local', 'production'];

interface ActionMeta {
  config: Record<string, unknown> & { supportedClients?: Record<string, unknown>[] };
}
interface ProfileFile {
  accountId: number;
  variables: Record<string, string | number | boolean>;
}

const unpublished = (value: string) =>
  `config.isPublished is ${value} in the production profile: HubSpot shows an unpublished action only in the developer's test accounts, so customers who install the app would never see it`;

const project = useProjectCopy();
const check = () => checkProject({ projectDir: project().dir });

describe('checkProject: publishing workflow actions', () => {
  test('when the production profile sets PUBLISH_ACTIONS to false, then every workflow action is named as unpublished in production', async () => {
    await project().editJson<ProfileFile>(PRODUCTION, (profile) => {
      profile.variables.PUBLISH_ACTIONS = false;
    });

    const result = await check();

    expect(result.ok).toBe(false);
    expect(result.issues).toStrictEqual(ACTIONS.map((file) => ({ file, message: unpublished('false'), profiles: ['production'] })));
  });

  test('when an action leaves isPublished out, then the schema accepts it and production reports HubSpot\'s default, unpublished', async () => {
    await project().editJson<ActionMeta>(SEND_TO_AI, (meta) => {
      delete meta.config.isPublished;
    });

    const result = await check();

    expect(result.issues).toStrictEqual([{ file: SEND_TO_AI, message: unpublished('null'), profiles: ['production'] }]);
  });

  test('when the local profile leaves the actions unpublished, then the check passes', async () => {
    await project().editJson<ProfileFile>('src/hsprofile.local.json', (profile) => {
      profile.variables.PUBLISH_ACTIONS = false;
    });

    const result = await check();

    expect(result.issues).toStrictEqual([]);
  });
});

describe('checkProject: supportedClients and agent tools', () => {
  test('when a workflow action has no supportedClients, then the missing field is named', async () => {
    await project().editJson<ActionMeta>(RESUME_AI, (meta) => {
      delete meta.config.supportedClients;
    });

    const result = await check();

    expect(result.issues).toStrictEqual([{ file: RESUME_AI, message: "Missing required field: 'config.supportedClients'", profiles: BOTH }]);
  });

  test('when the agent client has no toolType and no llmConfig, then both missing fields are named', async () => {
    await project().editJson<ActionMeta>(PAUSE_AI, (meta) => {
      meta.config.supportedClients = [{ client: 'WORKFLOWS' }, { client: 'AGENTS' }];
    });

    const result = await check();

    expect(result.issues).toStrictEqual([
      { file: PAUSE_AI, message: "Missing required field: 'config.supportedClients.1.toolType'", profiles: BOTH },
      { file: PAUSE_AI, message: "Missing required field: 'config.supportedClients.1.llmConfig'", profiles: BOTH },
    ]);
  });

  test('when an agent tool has an unknown toolType, then the allowed values are listed', async () => {
    await project().editJson<ActionMeta>(PAUSE_AI, (meta) => {
      const agents = meta.config.supportedClients?.find(({ client }) => client === 'AGENTS');
      if (agents) agents.toolType = 'DO_STUFF';
    });

    const result = await check();

    expect(result.issues).toStrictEqual([
      {
        file: PAUSE_AI,
        message: 'config.supportedClients.1.toolType: must be equal to one of the allowed values\n  allowedValues: GET_DATA, GENERATE, TAKE_ACTION',
        profiles: BOTH,
      },
    ]);
  });
});

describe('checkProject: inputFieldDependencies', () => {
  test('when an action declares a SINGLE_FIELD and a CONDITIONAL_SINGLE_FIELD dependency, then it validates', async () => {
    await project().editJson<ActionMeta>(SEND_TO_AI, (meta) => {
      meta.config.inputFieldDependencies = [
        { dependencyType: 'SINGLE_FIELD', controllingFieldName: 'instructions', dependentFieldNames: ['priority'] },
        { dependencyType: 'CONDITIONAL_SINGLE_FIELD', controllingFieldName: 'priority', controllingFieldValue: 'high', dependentFieldNames: ['instructions'] },
      ];
    });

    const result = await check();

    expect(result.issues).toStrictEqual([]);
  });

  test('when a conditional dependency has no controllingFieldValue, then the missing field is named', async () => {
    await project().editJson<ActionMeta>(SEND_TO_AI, (meta) => {
      meta.config.inputFieldDependencies = [
        { dependencyType: 'CONDITIONAL_SINGLE_FIELD', controllingFieldName: 'priority', dependentFieldNames: ['instructions'] },
      ];
    });

    const result = await check();

    expect(result.issues).toStrictEqual([
      { file: SEND_TO_AI, message: "Missing required field: 'config.inputFieldDependencies.0.controllingFieldValue'", profiles: BOTH },
    ]);
  });
});

describe('checkProject: localhost only in the local profile', () => {
  test('when a staging profile points a variable at localhost, then the profile file and the variable are named', async () => {
    await project().writeText(
      'src/hsprofile.staging.json',
      JSON.stringify({
        accountId: 12345678,
        variables: { BACKEND_URL: 'https://staging.switchboard.example.com', SUPPORT_URL: 'https://localhost:8443/docs', PUBLISH_ACTIONS: false },
      }),
    );

    const result = await check();

    expect(result.issues).toStrictEqual([
      {
        file: 'src/hsprofile.staging.json',
        message: 'variables.SUPPORT_URL points at localhost (https://localhost:8443/docs): only the local profile may',
        profiles: [],
      },
    ]);
  });

  test('when a component file has localhost written into it, then the field is named, since every profile gets it', async () => {
    await project().editJson<{ config: { support: Record<string, string> } }>(APP, (meta) => {
      meta.config.support.supportUrl = 'https://127.0.0.1/help';
    });

    const result = await check();

    expect(result.issues).toStrictEqual([
      {
        file: APP,
        message:
          'config.support.supportUrl is written with localhost in the file itself, so every profile gets it; only the local profile may point at localhost: build it from a profile variable',
        profiles: [],
      },
    ]);
  });
});
