// The Switchboard vendor client: typed API calls and push verification.
export { CLIENT_OPERATIONS, SwitchboardApiError, createSwitchboardClient, type SwitchboardClient, type SwitchboardClientOptions } from './switchboard-client.js';
export { PUSH_HEADERS, PushSignatureError, signPush, verifyPushSignature, type VerifyPushInput } from './verify-push-signature.js';
export type * from './types.js';
