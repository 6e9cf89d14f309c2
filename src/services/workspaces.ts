// The Prolific workspaces the app serves, and which one each Slack channel works in.
//
// A request is scoped to its channel's workspace for as long as it runs (an AsyncLocalStorage set
// by the request middleware): group lists, names, creates, the study directory and every read of a
// group by id (ServedGroups) work within it, whatever flow they are called from. Work outside a
// request (the watcher, notifications, sweeps) has no channel and is scoped to every served
// workspace.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ChannelWorkspaceStore } from '../store/channelWorkspaces';
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
  constructor(readonly workspaces: ServedWorkspace[]) {
    super('This channel has not chosen a Prolific workspace.');
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

/** Where a channel's workspace comes from. */
export type ChannelWorkspaceSource = 'channel' | 'default' | 'only';

interface Scope {
  channelId: string | null;
  resolved?: Promise<ServedWorkspace>;
}

const scopes = new AsyncLocalStorage<Scope>();

export class Workspaces {
  private readonly byId: Map<string, ServedWorkspace>;

  constructor(
    private readonly store: ChannelWorkspaceStore,
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

  /** Runs `fn` (a request) scoped to the channel's workspace, resolved lazily, once, when something asks. */
  runInChannel<T>(channelId: string | null, fn: () => T): T {
    return scopes.run({ channelId }, fn);
  }

  /** The channel's workspace and where it comes from; null when it must be chosen. */
  async forChannel(channelId: string | null): Promise<{ workspace: ServedWorkspace; source: ChannelWorkspaceSource } | null> {
    if (channelId) {
      const bound = await this.store.getChannelWorkspace(channelId);
      // A choice of a workspace no longer served (WORKSPACE_IDS changed) falls back to the default.
      const workspace = this.get(bound?.workspaceId);
      if (workspace) return { workspace, source: 'channel' };
    }
    const fallback = this.get(this.defaultId);
    if (fallback) return { workspace: fallback, source: this.served.length === 1 ? 'only' : 'default' };
    return null;
  }

  /**
   * The workspace the current request works in (its channel's), or null outside a request: the
   * watcher, notifications and sweeps work across every served workspace. In a request whose
   * channel must choose first: WorkspaceNotChosenError.
   */
  async current(): Promise<ServedWorkspace | null> {
    const scope = scopes.getStore();
    if (!scope) return null;
    scope.resolved ??= this.forChannel(scope.channelId).then((found) => {
      if (!found) throw new WorkspaceNotChosenError(this.served);
      return found.workspace;
    });
    return scope.resolved;
  }

  /** The workspaces whose studies count: the request's (its channel's); outside a request, every one served. */
  async scopeIds(): Promise<string[]> {
    const workspace = await this.current();
    return workspace ? [workspace.id] : this.served.map((w) => w.id);
  }

  /** The workspace to list, name and create groups in: the request's, else the default; WorkspaceNotChosenError when there is none. */
  async currentId(): Promise<string> {
    const workspace = (await this.current()) ?? this.get(this.defaultId);
    if (!workspace) throw new WorkspaceNotChosenError(this.served);
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
