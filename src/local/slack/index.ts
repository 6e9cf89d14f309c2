// The local stand-in for Slack: a fake Web API (LocalSlack) and a client that sends the app
// Slack's signed requests (SlackDriver). Used by the end-to-end tests and the local playground.

export { BLOCK_KIT_LIMITS, type BlockKitSurface, checkBlockKitLimits } from './blockKitLimits';
export {
  type BlockActionInput,
  type CommandResponse,
  type DriverResponse,
  type EventInput,
  type InteractionResponse,
  type OptionsRequestInput,
  type SelectedOptionInput,
  SlackDriver,
  type SlackDriverOptions,
  type ViewClosedResponse,
  type ViewSubmissionInput,
  type ViewSubmissionResponse,
  type ViewValueInput,
} from './signedRequests';
export {
  type ApiFault,
  type BlockKitViolationRecord,
  FILE_DOWNLOAD_REQUEST,
  FILE_UPLOAD_REQUEST,
  type HostFileOptions,
  type LocalMessage,
  LocalSlack,
  type LocalSlackEventMap,
  type LocalSlackOptions,
  type LocalView,
  type MessageSource,
  type RecordedCall,
  type SlackFile,
  type UploadedFile,
  type ViewChange,
  type ViewSubmissionOutcome,
  type ViewType,
} from './slackApi';
export {
  dmChannelId,
  type LocalChannel,
  type LocalUser,
  type NewLocalChannel,
  type NewLocalUser,
  OTHER_TEAM_ID,
} from './workspace';
