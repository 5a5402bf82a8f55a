// A privacy_erasures row records that a HubSpot privacy deletion (`contact.privacyDeletion`, a GDPR
// erasure request) was carried out: which portal and contact, when, and how many conversations lost
// the contact. It is the vendor's proof, to its customer (the controller) or a supervisory authority,
// that the request was honoured (GDPR Art. 5(2), accountability), so it outlives every other retention
// here. It still names the contact by HubSpot's id, so it is not kept forever either (storage
// limitation, Art. 5(1)(e)): PRIVACY_ERASURES_RETENTION_DAYS, 3 years by default (a common limitation
// period for claims; some jurisdictions have 6). The period is a legal choice of the operator's data
// protection officer, hence a setting. Deleting the organization deletes its records earlier (cascade),
// with the rest of its data.
import { retentionRepository as repo } from './retention.repository.js';
import { DAY_MS, type RetentionDeps } from './retention.ports.js';

/** Deletes privacy-erasure records older than PRIVACY_ERASURES_RETENTION_DAYS. @returns rows deleted */
export async function expireErasures(deps: RetentionDeps): Promise<number> {
  const deleted = await repo.deleteErasuresBefore(deps.db, new Date(deps.clock.now() - deps.privacyErasuresRetentionDays * DAY_MS));
  if (deleted > 0) deps.log.info({ deleted }, 'privacy erasure records past retention deleted');
  return deleted;
}
