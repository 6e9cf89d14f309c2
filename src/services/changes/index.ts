// The change service's public face: the front, the facts it returns, and the helpers renderers use.
export { type ChangeServiceOptions, ChangeService } from './changeService';
export { type ChangeOrigin, type ConfirmationDecision, type ConfirmationReason, type ConfirmationRequest, confirmationPolicy } from './confirmationPolicy';
export { type FailureRecord, readFailure } from './failureRecord';
export { inlineIdSource, needsTypedName, operationDetails, typedNameMatches } from './operationDetails';
export { plannedIds } from './operationPlan';
export { DEFAULT_STUCK_AFTER_MS } from './stuckOperations';
export type * from './types';
export { PartialWriteError, UnfinishedOperationError } from './writeErrors';
export { notifiedChange, notifiedFacts } from './notifiedChange';
