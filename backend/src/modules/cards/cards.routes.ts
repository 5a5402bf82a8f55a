import { Router, type RequestHandler, type Response } from 'express';
import { setContextFields } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { parseJsonBody, rawBody, rawBodyOf } from '../../platform/http/raw-body.js';
import { validate } from '../../platform/http/validate.js';
import { helpdeskConnectSchema, identityQuerySchema, recordParamsSchema, settingsPatchSchema, transitionBodySchema, transitionParamsSchema, type Identity } from './cards.schemas.js';
import type { CardConversation, CardHelpdesk, CardRecord, CardSettings, CardsService } from './cards.service.js';
// The card contract has one source: the types the cards are written against. The presenters return
// exactly those types, so a field renamed, dropped or retyped on either side fails `npm run typecheck`,
// and test/contract/card-wire-contract.int.test.ts holds the real answers against the same types at
// run time. The import is type-only (erased), and it points from the backend to the cards, never the
// other way: the card bundle HubSpot builds from src/app/cards stays free of server code and of zod.
import type { Conversation as ContractConversation, HelpdeskResponse, RecordResponse, SettingsResponse, TransitionResponse } from '../../../../src/app/cards/utils/contract.js';

/** What the router needs; app.ts builds the signature guard so no route imports hubspot/. */
export interface CardsRouterDeps {
  cards: CardsService;
  /** HubSpot's v3 signature over `PUBLIC_BASE_URL + originalUrl`, raw body and timestamp. */
  requireSignature: RequestHandler;
  /** config.hubspot.appId: a signed request naming another app id is refused. */
  appId?: number;
}

const idString = (value: number | null) => (value === null ? null : String(value));

/** A conversation as the card contract shows it (`Conversation` in src/app/cards/utils/contract.ts). */
export function presentCardConversation({ conversation: c, lastTransition: t }: CardConversation): ContractConversation {
  return {
    id: c.id,
    externalId: c.externalId,
    ticketId: idString(c.ticketId),
    contactId: idString(c.contactId),
    threadId: idString(c.threadId),
    aiState: c.aiState,
    updatedAt: c.updatedAt.toISOString(),
    lastTransition: t ? { from: t.fromState, to: t.toState, source: t.source, actor: t.actor, reason: t.reason, at: t.occurredAt.toISOString() } : null,
  };
}

/** `RecordResponse` of the card contract. */
export function presentCardRecord(record: CardRecord): RecordResponse {
  return { connection: { status: record.connection.status, auth: record.connection.auth }, conversations: record.conversations.map(presentCardConversation) };
}

/** `SettingsResponse` of the card contract. */
export function presentCardSettings(s: CardSettings): SettingsResponse {
  const c = s.connection;
  return {
    connection: { status: c.status, auth: c.auth, portalId: c.portalId, scopes: c.scopes, lastRefreshAt: c.lastRefreshAt?.toISOString() ?? null, lastError: c.lastError?.message ?? null },
    settings: { pauseOnOwnerChange: s.pauseOnOwnerChange, handoffTeams: s.handoffTeams },
    dashboardUrl: s.dashboardUrl,
  };
}

/** `HelpdeskResponse` of the card contract. */
export function presentCardHelpdesk({ picker, reconnectUrl }: CardHelpdesk): HelpdeskResponse {
  const { status, inboxes } = picker;
  const account = status.account;
  return {
    state: status.state,
    missingScopes: status.missingScopes,
    reconnectUrl,
    account: account ? { inboxId: account.inboxId, inboxName: inboxes?.find((i) => i.id === account.inboxId)?.name ?? null, connectedAt: account.createdAt.toISOString() } : null,
    inboxes: inboxes ? inboxes.map((i) => ({ id: i.id, name: i.name })) : null,
    inboxesError: picker.inboxesError ?? null,
    failedMessages: status.failedMessages,
  };
}

/**
 * The backend of the HubSpot app card and settings page, called through `hubspot.fetch`:
 * - `GET /hubspot/ui/records/:objectType/:objectId` — the connection and the record's conversations;
 * - `POST /hubspot/ui/conversations/:id/pause|resume|handoff` — 409 `invalid_transition` when not allowed;
 * - `GET|PATCH /hubspot/ui/settings` — connection health, pause on owner change, handoff teams;
 * - `GET /hubspot/ui/helpdesk`, `POST /hubspot/ui/helpdesk/connect` — the help-desk channel's state
 *   and inbox picker, and connecting the channel to the picked inbox.
 * Each route reads: raw body → signature → identity (portal, user) → handler. The identity query
 * parameters, which the cards add themselves, are part of the signed URL, so they are read only after
 * the signature passed (SECURITY.md, "Card identity").
 */
export function createCardsRouter(deps: CardsRouterDeps): Router {
  const router = Router();

  const identify: RequestHandler = (req, res, next) => {
    const identity = validate('query', identityQuerySchema, req.query);
    // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#S-7
    if (deps.appId !== undefined && identity.appId !== undefined && identity.appId !== deps.appId) {
      throw new AppError('forbidden', 'This request was made for another HubSpot app');
    }
    res.locals.identity = identity;
    setContextFields({ portalId: identity.portalId });
    next();
  };
  const guard = [rawBody(), deps.requireSignature, identify];

  router.get('/hubspot/ui/records/:objectType/:objectId', ...guard, async function getCardRecord(req, res) {
    const record = validate('params', recordParamsSchema, req.params);
    res.json(presentCardRecord(await deps.cards.getRecord(identityOf(res), record)));
  });

  router.post('/hubspot/ui/conversations/:id/:action', ...guard, async function postCardTransition(req, res) {
    const { id, action } = validate('params', transitionParamsSchema, req.params);
    const raw = rawBodyOf(req);
    // Assumption: docs/HUBSPOT-ASSUMPTIONS.md#S-8 (an empty body is `{}`) and #S-19 (a repeat is harmless).
    const body = validate('body', transitionBodySchema, raw.length === 0 ? {} : parseJsonBody(raw));
    const shown = await deps.cards.transition(identityOf(res), id, action, body);
    const answer: TransitionResponse = { conversation: presentCardConversation(shown) };
    res.json(answer);
  });

  router.get('/hubspot/ui/settings', ...guard, async function getCardSettings(_req, res) {
    res.json(presentCardSettings(await deps.cards.getSettings(identityOf(res))));
  });

  router.patch('/hubspot/ui/settings', ...guard, async function patchCardSettings(req, res) {
    const patch = validate('body', settingsPatchSchema, parseJsonBody(rawBodyOf(req)));
    res.json(presentCardSettings(await deps.cards.updateSettings(identityOf(res), patch)));
  });

  router.get('/hubspot/ui/helpdesk', ...guard, async function getCardHelpdesk(_req, res) {
    res.json(presentCardHelpdesk(await deps.cards.getHelpdesk(identityOf(res))));
  });

  router.post('/hubspot/ui/helpdesk/connect', ...guard, async function postCardHelpdeskConnect(req, res) {
    const body = validate('body', helpdeskConnectSchema, parseJsonBody(rawBodyOf(req)));
    res.json(presentCardHelpdesk(await deps.cards.connectHelpdesk(identityOf(res), body)));
  });

  return router;
}

function identityOf(res: Response): Identity {
  const identity = res.locals.identity as Identity | undefined;
  if (!identity) throw new Error('identityOf() used on a route without the identity guard');
  return identity;
}
