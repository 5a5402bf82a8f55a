// The in-memory data of one emulator instance and the context every state module shares. A reset
// swaps `ctx.data` and `ctx.ids` for fresh ones, so modules must read them at call time.
import { emptyChannelData, type ChannelData } from '../custom-channels/types.js';
import type { Settings } from '../settings.js';
import type { IdSequence, UniqueIds } from '../support/ids.js';
import type { CrmChange } from '../webhooks/types.js';
import type {
  AccessTokenRecord,
  Association,
  AuthCode,
  CrmObject,
  Install,
  Message,
  ObjectType,
  Owner,
  Portal,
  PortalCounters,
  PrivateAppToken,
  RefreshTokenRecord,
  RequestLogEntry,
  Thread,
  Uninstall,
  User,
} from './types.js';

/** A published change and whether it went to the webhook sender (only installed portals get events). */
export interface ChangeLogEntry {
  change: CrmChange;
  forwarded: boolean;
}

/** Everything the emulator holds in memory. */
export interface StateData {
  portals: Map<number, Portal>;
  users: Map<number, User>;
  owners: Map<number, Owner>;
  objects: Record<ObjectType, Map<number, CrmObject>>;
  associations: Association[];
  threads: Map<number, Thread>;
  messages: Map<number, Message[]>;
  codes: Map<string, AuthCode>;
  accessTokens: Map<string, AccessTokenRecord>;
  refreshTokens: Map<string, RefreshTokenRecord>;
  privateAppTokens: Map<string, PrivateAppToken>;
  installs: Install[];
  uninstalls: Uninstall[];
  changes: ChangeLogEntry[];
  counters: Map<number, PortalCounters>;
  requestLog: RequestLogEntry[];
  /** Custom channels, their accounts and what they add to thread messages. */
  customChannels: ChannelData;
}

/** Shared by the state modules. */
export interface StateContext {
  data: StateData;
  ids: IdSequence;
  /** Ids that must never repeat (message ids); kept across resets. */
  unique: UniqueIds;
  appId: number;
  now(): number;
  settings(): Settings;
  /** Hands a change to the webhook sender (when the portal has the app installed) and logs it. */
  publish(change: CrmChange): void;
}

/** Fresh, empty data. */
export function emptyData(): StateData {
  return {
    portals: new Map(),
    users: new Map(),
    owners: new Map(),
    objects: { contacts: new Map(), tickets: new Map(), notes: new Map() },
    associations: [],
    threads: new Map(),
    messages: new Map(),
    codes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    privateAppTokens: new Map(),
    installs: [],
    uninstalls: [],
    changes: [],
    counters: new Map(),
    requestLog: [],
    customChannels: emptyChannelData(),
  };
}
