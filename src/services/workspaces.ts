// The Prolific workspaces the app serves, and which one each Slack channel works in.
//
// A request is scoped to its channel's workspace for as long as it runs (an AsyncLocalStorage set
// by the request middleware): group lists, names, creates, the study directory and every read of a
// group by id (ServedGroups) work within it, whatever flow they are called from. A request with no
// channel (the Home tab, a form opened from it) works in the workspace its person chose in the Home
// tab, else the default. Work outside a request (the watcher, notifications, sweeps) has no
// channel and is scoped to every served workspace.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ChannelWorkspaceStore } from '../store/channelWorkspaces';
import type { HomeWorkspaceStore } from '../store/homeWorkspaces';
import { type NamedResolution, resolveNamed } from './groupResolution';

export interface ServedWorkspace {
  id: string;
  title: string;
}

/**
 * The app serves several workspaces, none is the default (PROLIFIC_WORKSPACE_ID), and the channel
 * has not chosen: the person is asked to choose, instead of the app guessing.
 */
export class WorkspaceNotChosenError extends Error {
  constructor(
    readonly workspaces: ServedWorkspace[],
    /** Who must choose: the channel (/pgroup workspace), or, for a request with no channel, the person in the Home tab. */
    readonly where: 'channel' | 'home' = 'channel',
  ) {
    super(where === 'channel' ? 'This channel has not chosen a Prolific workspace.' : 'No Prolific workspace was chosen in the Home tab.');
    this.name = 'WorkspaceNotChosenError';
  }
}

/** Why a channel's workspace was not switched. */
export type WorkspaceSwitch =
  | { kind: 'switched'; workspace: ServedWorkspace; previous: ServedWorkspace | null }
  | { kind: 'unchanged'; workspace: ServedWorkspace }
  | { kind: 'not_found'; query: string; workspaces: ServedWorkspace[] }
  | { kind: 'ambiguous'; query: string; candidates: ServedWorkspace[] }
  /** Direct messages and App Home have no channel to bind. */
  | { kind: 'no_channel' };

/** Where a channel's workspace comes from: its own choice, its person's App Home choice (a DM, or no channel), the default, the only one. */
export type ChannelWorkspaceSource = 'channel' | 'home' | 'default' | 'only';

/** Where the workspace of a person's Home tab comes from: their choice there, the default, or the only one. */
export type HomeWorkspaceSource = 'chosen' | 'default' | 'only';

/** What the Home tab says of workspaces: those served, and the person's (null: they must choose). */
export interface HomeWorkspaceFacts {
  served: ServedWorkspace[];
  current: { workspace: ServedWorkspace; source: HomeWorkspaceSource } | null;
}

interface Scope {
  channelId: string | null;
  /** The person the request is from: without a channel, their Home tab's choice applies. */
  userId: string | null;
  found?: Promise<{ workspace: ServedWorkspace; source: ChannelWorkspaceSource } | null>;
  resolved?: Promise<ServedWorkspace>;
}

const scopes = new AsyncLocalStorage<Scope>();

export class Workspaces {
  private readonly byId: Map<string, ServedWorkspace>;

  constructor(
    private readonly store: ChannelWorkspaceStore & HomeWorkspaceStore,
    /** Every workspace served: the token's, limited by WORKSPACE_IDS. */
    readonly served: ServedWorkspace[],
    /** PROLIFIC_WORKSPACE_ID, or the only workspace served; null when several are and none is named. */
    readonly defaultId: string | null,
  ) {
    this.byId = new Map(served.map((w) => [w.id.toLowerCase(), w]));
  }

  /** More than one is served: notifications and histories then name the workspace. */
  get several(): boolean {
    return this.served.length > 1;
  }

  serves(workspaceId: string | null | undefined): boolean {
    return Boolean(workspaceId) && this.byId.has(workspaceId!.toLowerCase());
  }

  get(workspaceId: string | null | undefined): ServedWorkspace | null {
    return workspaceId ? (this.byId.get(workspaceId.toLowerCase()) ?? null) : null;
  }

  /**
   * Runs `fn` (a request) scoped to the channel's workspace, or without a channel to the person's
   * Home tab choice; resolved lazily, once, when something asks.
   */
  runInChannel<T>(channelId: string | null, fn: () => T, userId: string | null = null): T {
    return scopes.run({ channelId, userId }, fn);
  }

  /**
   * The channel's workspace and where it comes from; null when it must be chosen. A channel's own
   * choice comes first; where the request is one person's (`userId` given, and no channel or a DM
   * with the app, where previews started from App Home land), their App Home choice next; then the
   * default.
   */
  async forChannel(channelId: string | null, userId: string | null = null): Promise<{ workspace: ServedWorkspace; source: ChannelWorkspaceSource } | null> {
    if (channelId) {
      const bound = await this.store.getChannelWorkspace(channelId);
      // A choice of a workspace no longer served (WORKSPACE_IDS changed) falls back to the default.
      const workspace = this.get(bound?.workspaceId);
      if (workspace) return { workspace, source: 'channel' };
    }
    if (isPersonal(channelId, userId)) {
      const chosen = this.get((await this.store.getHomeWorkspace(userId!))?.workspaceId);
      if (chosen) return { workspace: chosen, source: 'home' };
    }
    const fallback = this.get(this.defaultId);
    if (fallback) return { workspace: fallback, source: this.served.length === 1 ? 'only' : 'default' };
    return null;
  }

  /** The workspace of a person's Home tab: their choice there (while still served), else the default; null when they must choose. */
  async forHome(userId: string | null): Promise<{ workspace: ServedWorkspace; source: HomeWorkspaceSource } | null> {
    if (userId) {
      const chosen = this.get((await this.store.getHomeWorkspace(userId))?.workspaceId);
      if (chosen) return { workspace: chosen, source: 'chosen' };
    }
    const fallback = this.get(this.defaultId);
    if (fallback) return { workspace: fallback, source: this.served.length === 1 ? 'only' : 'default' };
    return null;
  }

  /** What the person's Home tab shows of workspaces. */
  async homeFacts(userId: string): Promise<HomeWorkspaceFacts> {
    return { served: this.served, current: await this.forHome(userId) };
  }

  /** Records the workspace a person works in from the Home tab: any served one, for themselves only. Null when it is not served. */
  async chooseForHome(userId: string, workspaceId: string): Promise<ServedWorkspace | null> {
    const workspace = this.get(workspaceId);
    if (!workspace) return null;
    await this.store.setHomeWorkspace({ slackUserId: userId, workspaceId: workspace.id });
    return workspace;
  }

  /**
   * The workspace the current request works in (its channel's; see forChannel), or null outside a request: the
   * watcher, notifications and sweeps work across every served workspace. In a request whose
   * channel must choose first: WorkspaceNotChosenError.
   */
  async current(): Promise<ServedWorkspace | null> {
    const scope = scopes.getStore();
    if (!scope) return null;
    scope.resolved ??= this.forRequest().then((found) => {
      if (!found) throw new WorkspaceNotChosenError(this.served, isPersonal(scope.channelId, scope.userId) ? 'home' : 'channel');
      return found.workspace;
    });
    return scope.resolved;
  }

  /** The workspaces whose studies count: the request's (its channel's); outside a request, every one served. */
  async scopeIds(): Promise<string[]> {
    const workspace = await this.current();
    return workspace ? [workspace.id] : this.served.map((w) => w.id);
  }

  /** The current request's workspace and where it comes from (see forChannel); null outside a request, or when it must be chosen. */
  async forRequest(): Promise<{ workspace: ServedWorkspace; source: ChannelWorkspaceSource } | null> {
    const scope = scopes.getStore();
    if (!scope) return null;
    scope.found ??= this.forChannel(scope.channelId, scope.userId);
    return scope.found;
  }

  /** Whether the current request works in its person's App Home choice (else its channel's, or the default). */
  async currentSource(): Promise<'channel' | 'home'> {
    return (await this.forRequest().catch(() => null))?.source === 'home' ? 'home' : 'channel';
  }

  /** The workspace to list, name and create groups in: the request's, else the default; WorkspaceNotChosenError when there is none. */
  async currentId(): Promise<string> {
    const workspace = (await this.current()) ?? this.get(this.defaultId);
    if (!workspace) throw new WorkspaceNotChosenError(this.served, 'channel');
    return workspace.id;
  }

  /** A workspace by id or title (exact, or a unique start), among those served. */
  find(query: string): NamedResolution<ServedWorkspace> {
    return resolveNamed(query, this.served, (w) => [w.title]);
  }

  /** Binds a channel to a served workspace (the permission is checked by the caller). */
  async switchChannel(channelId: string | null, query: string, slackUserId: string): Promise<WorkspaceSwitch> {
    if (!channelId) return { kind: 'no_channel' };
    const found = this.find(query);
    if (found.kind === 'not_found') return { kind: 'not_found', query, workspaces: this.served };
    if (found.kind === 'ambiguous') return { kind: 'ambiguous', query, candidates: found.candidates };
    const before = await this.forChannel(channelId);
    if (before?.source === 'channel' && before.workspace.id === found.item.id) return { kind: 'unchanged', workspace: found.item };
    await this.store.setChannelWorkspace({ channelId, workspaceId: found.item.id, slackUserId });
    return { kind: 'switched', workspace: found.item, previous: before?.workspace ?? null };
  }
}

/**
 * The workspaces the app serves: those the token lists, limited by WORKSPACE_IDS, and
 * PROLIFIC_WORKSPACE_ID (served even when the token does not list it, as before). The default is
 * PROLIFIC_WORKSPACE_ID, or the only one served; with several and none named there is no default,
 * and a channel that has not chosen is asked to (instead of the app failing at startup).
 */
export function servedWorkspaces(listed: readonly ServedWorkspace[], only: readonly string[] | null, configuredDefault: string | null): { served: ServedWorkspace[]; defaultId: string | null } {
  const wanted = only ? new Set(only.map((id) => id.toLowerCase())) : null;
  const served = listed.filter((w) => !wanted || wanted.has(w.id.toLowerCase())).map((w) => ({ id: w.id, title: w.title || w.id }));
  if (configuredDefault && !served.some((w) => w.id.toLowerCase() === configuredDefault.toLowerCase())) served.unshift({ id: configuredDefault, title: configuredDefault });
  const defaultId = configuredDefault ?? (served.length === 1 ? served[0]!.id : null);
  return { served, defaultId };
}

/** Lists the token's workspaces and picks those served (see servedWorkspaces). */
export async function loadServedWorkspaces(
  client: { listWorkspaces(): Promise<{ id: string; title: string }[]> },
  only: readonly string[] | null,
  configuredDefault: string | null,
): Promise<{ served: ServedWorkspace[]; defaultId: string | null }> {
  return servedWorkspaces(await client.listWorkspaces(), only, configuredDefault);
}

/** A request of one person: from App Home or a form opened there (no channel), or in their DM with the app. */
function isPersonal(channelId: string | null, userId: string | null): boolean {
  return userId !== null && (channelId === null || channelId.startsWith('D'));
}
