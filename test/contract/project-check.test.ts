// The offline HubSpot project check (`npm run check:project`): each broken case on a temporary copy of the project, then
// the real project. PPL validates against the committed schemas; the backend route cross-check has its own file.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { loadProjectCheck } from './helpers/load-project-check.js';
import { copyProject, countHsMetaFiles, REPO_ROOT, type ProjectCopy } from './helpers/project-copy.js';

const { checkProject } = await loadProjectCheck();
const { formatCheckResult } = await import('../../scripts/project-check/format.js');

const APP = 'src/app/app-hsmeta.json';
const WEBHOOKS = 'src/app/webhooks/webhooks-hsmeta.json';
const PAUSE_AI = 'src/app/workflow-actions/pause-ai-hsmeta.json';
const SEND_TO_AI = 'src/app/workflow-actions/send-to-ai-hsmeta.json';
const BOTH = ['local', 'production'];
const MISPLACED =
  'Not in a component folder, so HubSpot ignores this file: each *-hsmeta.json file must sit directly in src/app/ or in one of its feature folders (src/app/workflow-actions/, webhooks/, cards/, settings/, …), not nested deeper';

interface Hsmeta {
  uid: string;
  type: string;
  config: Record<string, unknown> & {
    auth: { type: string; requiredScopes: string[] };
    settings: Record<string, unknown>;
  };
  [key: string]: unknown;
}

let project: ProjectCopy;
beforeEach(async () => {
  project = await copyProject();
});
afterEach(async () => {
  await project.remove();
});

const check = () => checkProject({ projectDir: project.dir });

describe('checkProject on broken copies', () => {
  test('when an hsmeta file is not valid JSON, then it names the file and says Invalid JSON', async () => {
    await project.writeText(PAUSE_AI, '{ "uid": "switchboard_pause_ai", ');

    const result = await check();

    expect(result.ok).toBe(false);
    expect(result.issues).toStrictEqual([{ file: PAUSE_AI, message: 'Invalid JSON', profiles: BOTH }]);
  });

  test('when an hsmeta file has an unknown top-level key, then PPL names the key', async () => {
    await project.editJson<Hsmeta>(WEBHOOKS, (meta) => {
      meta.extraTop = true;
    });

    const result = await check();

    expect(result.issues).toStrictEqual([{ file: WEBHOOKS, message: 'Unexpected top-level properties found: extraTop', profiles: BOTH }]);
  });

  test('when a uid has a space and a bang, then the uid rule is reported for that file', async () => {
    await project.editJson<Hsmeta>(PAUSE_AI, (meta) => {
      meta.uid = 'bad uid!';
    });

    const result = await check();

    expect(result.issues).toStrictEqual([
      {
        file: PAUSE_AI,
        message: "'uid' should use only letters, numbers, periods, hyphens, and underscores (for example: app-id_1.2.3)",
        profiles: BOTH,
      },
    ]);
  });

  test('when a bad uid sits in a file that already fails the parse stage, then the uid is still reported', async () => {
    // PPL skips the uid check of files with parse-stage errors; the check's own pass covers them.
    await project.editJson<Hsmeta>(PAUSE_AI, (meta) => {
      meta.uid = 'bad uid!';
      meta.extraTop = 1;
    });

    const result = await check();

    expect(result.issues.map(({ file, message }) => ({ file, message }))).toStrictEqual([
      { file: PAUSE_AI, message: "'uid' should use only letters, numbers, periods, hyphens, and underscores (for example: app-id_1.2.3)" },
      { file: PAUSE_AI, message: 'Unexpected top-level properties found: extraTop' },
    ]);
  });

  test('when two files share a uid, then both files are named', async () => {
    await project.editJson<Hsmeta>(SEND_TO_AI, (meta) => {
      meta.uid = 'switchboard_pause_ai';
    });

    const result = await check();

    expect(result.issues).toStrictEqual([
      {
        file: 'src',
        message:
          "Duplicate uid 'switchboard_pause_ai' found in:\n- app/workflow-actions/pause-ai-hsmeta.json\n- app/workflow-actions/send-to-ai-hsmeta.json",
        profiles: BOTH,
      },
    ]);
  });

  test.each([
    ['a folder that is no component folder', 'src/app/misc/x-hsmeta.json'],
    ['a sub-folder of a component folder', 'src/app/workflow-actions/nested/x-hsmeta.json'],
  ])('when an hsmeta file sits in %s, then it is reported as ignored by HubSpot', async (_where, misplaced) => {
    await project.move(PAUSE_AI, misplaced);

    const result = await check();

    expect(result.issues).toStrictEqual([{ file: misplaced, message: MISPLACED, profiles: BOTH }]);
  });

  test('when a component sits in the folder of another type, then PPL names the right folder', async () => {
    await project.move(PAUSE_AI, 'src/app/cards/pause-ai-hsmeta.json');

    const result = await check();

    expect(result.issues).toStrictEqual([
      {
        file: 'src/app/cards/pause-ai-hsmeta.json',
        message: `The directory 'app/cards' is incorrect for type 'workflow-action'. Workflow Action features should only be placed in the '${path.join(project.dir, 'src/app/workflow-actions')}' directory`,
        profiles: BOTH,
      },
    ]);
  });

  test('when a workflow action has no actionUrl, then the missing field is named', async () => {
    await project.editJson<Hsmeta>(PAUSE_AI, (meta) => {
      delete meta.config.actionUrl;
    });

    const result = await check();

    expect(result.issues).toStrictEqual([{ file: PAUSE_AI, message: "Missing required field: 'config.actionUrl'", profiles: BOTH }]);
  });

  test('when the webhooks component has no targetUrl, then the missing field is named', async () => {
    await project.editJson<Hsmeta>(WEBHOOKS, (meta) => {
      delete meta.config.settings.targetUrl;
    });

    const result = await check();

    expect(result.issues).toStrictEqual([{ file: WEBHOOKS, message: "Missing required field: 'config.settings.targetUrl'", profiles: BOTH }]);
  });

  test('when requiredScopes has an unknown scope, then its index and the allowed scopes are listed', async () => {
    await project.editJson<Hsmeta>(APP, (meta) => {
      meta.config.auth.requiredScopes.push('crm.objects.contact.read');
    });
    const allowed = readSchema('app').$defs.scope?.enum as string[];

    const result = await check();

    expect(result.issues).toStrictEqual([
      {
        file: APP,
        message: `config.auth.requiredScopes.7: must be equal to one of the allowed values\n  allowedValues: ${allowed.join(', ')}`,
        profiles: BOTH,
      },
    ]);
  });

  test('when a marketplace app uses static auth, then auth.type must be oauth', async () => {
    await project.editJson<Hsmeta>(APP, (meta) => {
      meta.config.auth = { type: 'static', requiredScopes: meta.config.auth.requiredScopes };
    });

    const result = await check();

    expect(result.issues).toStrictEqual([{ file: APP, message: 'config.auth.type: must be equal to constant\n  allowedValue: oauth', profiles: BOTH }]);
  });

  test('when a profile is missing, then the missing profile file is named', async () => {
    fs.rmSync(path.join(project.dir, 'src/hsprofile.production.json'));

    const result = await check();

    expect(result.issues).toStrictEqual([
      { file: 'src/hsprofile.production.json', message: 'Missing profile: the project must define the profiles local, production', profiles: [] },
    ]);
  });

  test('when an error shows up in one profile only, then the printed report tags it with that profile', async () => {
    await project.editJson<{ variables: Record<string, unknown> }>('src/hsprofile.production.json', (profile) => {
      profile.variables.BACKEND_URL = 'ftp://switchboard.example.com';
    });

    const result = await check();
    const text = formatCheckResult(result);

    expect(result.ok).toBe(false);
    // Every URL built from BACKEND_URL breaks, in production only.
    expect(text.split('\n')[0]).toBe(`✖ HubSpot project check failed: ${result.issues.length} problems in ${new Set(result.issues.map(({ file }) => file)).size} files`);
    expect(text).toContain(`\n\n${PAUSE_AI}\n  - config.actionUrl: must match pattern "^(https://`);
    expect(text.match(/\[profile production\]$/gm)).toHaveLength(result.issues.length);
    expect(result.issues.length).toBeGreaterThanOrEqual(8);
  });
});

describe('checkProject on the real project', () => {
  test('when the committed project is checked, then every profile translates with no issue', async () => {
    const components = countHsMetaFiles(REPO_ROOT);

    const result = await checkProject({ projectDir: REPO_ROOT });

    expect(result.issues).toStrictEqual([]);
    expect(result).toStrictEqual({
      ok: true,
      profiles: BOTH,
      translated: [
        { profile: 'local', componentCount: components },
        { profile: 'production', componentCount: components },
      ],
      issues: [],
    });
    expect(formatCheckResult(result)).toBe(
      `✔ project valid (profile local): ${components} components\n✔ project valid (profile production): ${components} components`,
    );
  });
});

describe('checkProject on cards and settings', () => {
  test('when a card and a settings page like the reference examples are written, then both validate', async () => {
    await project.writeText(
      'src/app/cards/contract-test-card-hsmeta.json',
      JSON.stringify({
        uid: 'contract_test_card',
        type: 'card',
        config: {
          name: 'Acme ticket',
          description: 'Acme status for this ticket',
          entrypoint: '/app/cards/TicketCard.tsx',
          location: 'crm.record.sidebar',
          objectTypes: ['tickets'],
        },
      }),
    );
    // A singleton: this replaces the project's settings page, if it has one.
    await project.writeText(
      'src/app/settings/settings-hsmeta.json',
      JSON.stringify({ uid: 'contract_test_settings', type: 'settings', config: { entrypoint: '/app/settings/SettingsPage.tsx' } }),
    );

    const result = await check();

    expect(result.issues).toStrictEqual([]);
    const components = countHsMetaFiles(project.dir);
    expect(result.translated.map(({ componentCount }) => componentCount)).toStrictEqual([components, components]);
  });

  test('when a card has an unknown location, then the allowed locations are listed', async () => {
    await project.writeText(
      'src/app/cards/contract-test-card-hsmeta.json',
      JSON.stringify({
        uid: 'contract_test_card',
        type: 'card',
        config: { name: 'AI state', entrypoint: '/app/cards/TicketCard.tsx', location: 'crm.record.middle', objectTypes: ['tickets'] },
      }),
    );

    const result = await check();

    expect(result.issues).toStrictEqual([
      {
        file: 'src/app/cards/contract-test-card-hsmeta.json',
        message: 'config.location: must be equal to one of the allowed values\n  allowedValues: crm.record.tab, crm.record.sidebar, crm.preview, helpdesk.sidebar',
        profiles: BOTH,
      },
    ]);
  });

  test('when a second settings page is added, then both files say only one is allowed', async () => {
    const settings = { type: 'settings', config: { entrypoint: '/app/settings/SettingsPage.tsx' } };
    await project.writeText('src/app/settings/settings-hsmeta.json', JSON.stringify({ uid: 'contract_test_settings', ...settings }));
    await project.writeText('src/app/settings/other-settings-hsmeta.json', JSON.stringify({ uid: 'contract_test_other_settings', ...settings }));

    const result = await check();

    expect(result.issues).toStrictEqual([
      { file: 'src/app/settings/other-settings-hsmeta.json', message: 'Only one settings component is allowed', profiles: BOTH },
      { file: 'src/app/settings/settings-hsmeta.json', message: 'Only one settings component is allowed', profiles: BOTH },
    ]);
  });
});

function readSchema(type: string): { $defs: Record<string, { enum?: unknown[] }> } {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'schemas/hubspot/2026.03', `${type}.json`), 'utf8'));
}
