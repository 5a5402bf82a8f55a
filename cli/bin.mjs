#!/usr/bin/env node
// `switchboard` launcher: runs the TypeScript CLI through tsx, like the project's other scripts.
import { register } from 'tsx/esm/api';

register();
await import('./switchboard.ts');
