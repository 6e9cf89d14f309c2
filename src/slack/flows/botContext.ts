import type { AppConfig } from '../../config';
import type { InFlight } from '../../inFlight';
import type { AppLogger } from '../../logging';
import type { ChangePermissions } from '../../services/actor';
import type { ChangeService } from '../../services/changes';
import type { GroupMessages } from '../../services/groupMessages';
import type { GroupMembersCache } from '../../services/groupMembersCache';
import type { GroupDirectory } from '../../services/groups';
import type { ParticipantFinder } from '../../services/participantFinder';
import type { ParticipantForgetting } from '../../services/participantForgetting';
import type { StudyDirectory, StudyIndex } from '../../services/studies';
import type { WatchList } from '../../services/watchList';
import type { Workspaces } from '../../services/workspaces';
import type { Store } from '../../store/types';
import type { Announcer } from '../announcer';
import type { UserTeams } from '../userTeams';

/** Everything a listener needs, built once at startup. */
export interface BotContext {
  config: AppConfig;
  logger: AppLogger;
  botToken: string;
  homeTeamId: string;
  store: Store;
  groups: GroupDirectory;
  changes: ChangeService;
  /** Messages to a group's members: preview, send once, outcome. */
  messages: GroupMessages;
  /** Member lists read recently by lookups across groups; dropped when the app changes a group. */
  memberCache: GroupMembersCache;
  /** Which groups hold a participant (`/pgroup find`, `/pgroup forget`). */
  finder: ParticipantFinder;
  /** Forgetting a participant: removed from every group, then purged from the app's records. */
  forgetting: ParticipantForgetting;
  /** Which studies use a group, and how. */
  studies: StudyIndex;
  /** The workspace's studies, and the participants a group is built from. */
  studyDirectory: StudyDirectory;
  watchList: WatchList;
  /** The Prolific workspaces served, and which one each channel works in. */
  workspaces: Workspaces;
  permissions: ChangePermissions;
  announcer: Announcer;
  inFlight: InFlight;
  /** Which workspace each user belongs to, kept for a while. */
  userTeams: UserTeams;
  /** Prolific is the embedded demo sandbox: every reply, notification and App Home says so. */
  demoSandbox: boolean;
}
