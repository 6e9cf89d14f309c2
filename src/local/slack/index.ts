// The local stand-in for Slack: a fake Web API (LocalSlack, with Socket Mode in LocalSocketMode) and
// a client that sends the app Slack's signed requests (SlackDriver). Used by the end-to-end tests and the local playground.

export { BLOCK_KIT_LIMITS, type BlockKitSurface, checkBlockKitLimits } from './blockKitLimits';
export type { BlockKitViolationRecord } from './blockKitViolations';
export type { LocalMessage, MessageSource } from './localChat';
export type { FunctionExecution } from './localFunctions';
export type { FileHostName, HostFileOptions, SlackFile, UploadedFile } from './localFiles';
export type { OtherFileHost, OtherHostRequest } from './otherFileHost';
export {
  type ApiFault,
  FILE_DOWNLOAD_REQUEST,
  FILE_UPLOAD_REQUEST,
  LocalSlack,
  type LocalSlackOptions,
  type RecordedCall,
  THREAD_REPLY_REQUEST,
} from './localSlack';
export type { LocalSlackEventMap } from './localSlackEvents';
export {
  type EnvelopeDelivery,
  type EnvelopeOutcome,
  type EnvelopeType,
  LocalSocketMode,
  SOCKET_MODE_PATH,
  type SocketModeConnectionRecord,
  type SocketModeViolation,
} from './localSocketMode';
export type { LocalView, ViewChange, ViewSubmissionOutcome, ViewType } from './localViews';
export {
  type BlockActionInput,
  type CommandResponse,
  type DriverResponse,
  type DriverTransport,
  type EventInput,
  type InteractionResponse,
  type OptionsRequestInput,
  SlackDriver,
  type SlackDriverOptions,
  type ViewClosedResponse,
  type ViewSubmissionInput,
  type ViewSubmissionResponse,
} from './slackDriver';
export type { SlackForDriver } from './slackForDriver';
export type { LocalEnterprise } from './slackIdentity';
export type { SelectedOptionInput, ViewValueInput } from './viewState';
export {
  dmChannelId,
  type LocalChannel,
  type LocalUser,
  type LocalUserEnterprise,
  type NewLocalChannel,
  type NewLocalUser,
  OTHER_TEAM_ID,
} from './workspace';
