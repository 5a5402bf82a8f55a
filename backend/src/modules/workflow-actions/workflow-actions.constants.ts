// Timings and sizes of the workflow actions, with the reason for each number.

/**
 * How long HubSpot waits for a Send to AI result (`hs_expiration_duration`). HubSpot's default is a
 * week (https://developers.hubspot.com/docs/api-reference/latest/automation/workflow-actions/custom-action-reference); a workflow step waiting on an AI that long is stuck, so we give up after a day.
 */
export const SEND_TO_AI_EXPIRATION = Object.freeze({ iso: 'P1D', ms: 24 * 60 * 60 * 1000 });

/**
 * The sweep completes unanswered callbacks this long before HubSpot stops waiting: room for a
 * minutely sweep plus completion retries, short next to the day the AI gets.
 */
export const EXPIRY_MARGIN_MS = 15 * 60 * 1000;

/** Decided callbacks with no completion attempt for this long get a new completion job from the sweep. */
export const STALLED_COMPLETION_MS = 5 * 60 * 1000;

/** The explanation a Send to AI gets when the AI never reported (shown through the aiTimeout rule). */
export const AI_TIMEOUT_MESSAGE = 'The AI did not report a result before the workflow stopped waiting (1 day).';

/**
 * Callbacks per batch completion; HubSpot's limit is undocumented, 100 is its usual batch size
 * (https://developers.hubspot.com/docs/api-reference/2026-03/automation/workflow-actions/callbacks/batch-complete-callbacks).
 */
export const COMPLETION_BATCH_SIZE = 100;

/** Automatic resumes handled per sweep transaction. */
export const AUTO_RESUME_BATCH_SIZE = 50;

/** Handoff teams per options page. */
export const OPTIONS_PAGE_SIZE = 20;
