// The sandbox's Prolific API: the groups, members, workspaces, me and messages routes with their
// validation, independent of sockets (studies' routes are in studies.ts; answers in errorReply.ts and
// membershipReply.ts).
//
// Behaviour the public API documentation leaves open, as chosen here:
// - Participant ids must be 24 lowercase hex characters (every documented and observed id is).
//   A malformed id in create, PATCH, add or remove rejects the whole request with 400 and a
//   field map: {"participant_ids": ["'xyz' is not a valid participant id."]}; nothing is applied.
// - Well-formed ids the sandbox has never seen are accepted (there is no participant registry).
// - Paging is off by default: lists answer {"results": [...]} only. With pageSize set, the lists
//   (groups, members, workspaces) answer one page at a time (offset/limit query, limit capped at
//   pageSize) and add "meta": {"count"} and "_links": {"self","next","previous"} with absolute
//   hrefs; next.href is null on the last page. Add/remove answers are never paged.
// - Deleted groups are hidden: 404 by id, and left out of lists unless active=false, which lists
//   only deleted groups. Deleting twice answers 404.
// - PATCH reads only name and participant_ids (the documented schema); other fields are ignored,
//   so {} (or no body) changes nothing. Members kept by an overwrite keep their join time
//   (datetime_created); re-adding a member keeps it too. Repeated ids count once.
// - Messages to a participant group need an existing group (404 otherwise) and are kept in
//   state.messages with the members who received them; nothing is delivered. A group with more
//   members than the recipient cap (messageRecipientCap, default 4,000, as Prolific's newer pages
//   say of their default) is refused with 400 and nothing is sent; so is a group with no members.
// - Listing without workspace_id / filter[workspace_id] / project_id answers 400; an unknown
//   workspace lists no groups. Creating in an unknown workspace answers 400 (field map).
//   organisation_id is accepted as given (organisations are not modelled).
// - A body that is not JSON answers 400; a non-empty body without a JSON Content-Type answers 415.
// - Paths must end with a slash (no redirects): /api/v1/participant-groups answers 404.
// - Authentication is checked before routing, so an unauthenticated request learns nothing.
// - error_code values are the sandbox's own (140000 + status); Prolific's are undocumented.

import { type HttpReply, RouteTable } from '../http/loopbackHttp';
import { checkParticipantIds, clip } from './checkParticipantIds';
import { errorReply, type FieldErrors, json } from './errorReply';
import { listReply, membershipReply } from './membershipReply';
import type { SandboxState } from './state';
import { toGroup } from './state';

export { errorReply, json, statusTitle } from './errorReply';

export type Reply = HttpReply;

export interface ApiRequest {
  method: string;
  url: URL;
  /** Base for absolute links, e.g. http://127.0.0.1:4010 */
  origin: string;
  authorization: string | undefined;
  contentType: string | undefined;
  bodyText: string;
  body: ParsedBody;
}

export type ParsedBody = { ok: true; value: unknown } | { ok: false; message: string };

export interface RouteContext {
  params: string[];
  query: URLSearchParams;
  body: unknown;
  url: URL;
  origin: string;
}

type RouteHandler = (ctx: RouteContext) => Reply;

export interface Route {
  pattern: RegExp;
  handlers: Record<string, RouteHandler>;
}

export function parseBody(text: string): ParsedBody {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** Prolific's newer pages: one message reaches at most 4,000 participants by default. */
export const DEFAULT_MESSAGE_RECIPIENT_CAP = 4000;

export class SandboxApi {
  readonly #state: SandboxState;
  readonly #token: string;
  readonly #pageSize: number | undefined;
  readonly #routes: RouteTable<RouteHandler>;
  readonly #messageRecipientCap: number;

  /** routes: more routes (the studies', studies.ts), matched after the groups'. */
  constructor(opts: { state: SandboxState; token: string; pageSize?: number; routes?: Route[]; messageRecipientCap?: number }) {
    this.#state = opts.state;
    this.#messageRecipientCap = opts.messageRecipientCap ?? DEFAULT_MESSAGE_RECIPIENT_CAP;
    this.#token = opts.token;
    this.#pageSize = opts.pageSize && opts.pageSize > 0 ? opts.pageSize : undefined;
    const routes: Route[] = [
      {
        pattern: /^\/api\/v1\/participant-groups\/$/,
        handlers: { GET: (c) => this.#listGroups(c), POST: (c) => this.#createGroup(c) },
      },
      {
        pattern: /^\/api\/v1\/participant-groups\/([^/]+)\/$/,
        handlers: {
          GET: (c) => this.#getGroup(c),
          PATCH: (c) => this.#updateGroup(c),
          DELETE: (c) => this.#deleteGroup(c),
        },
      },
      {
        pattern: /^\/api\/v1\/participant-groups\/([^/]+)\/participants\/$/,
        handlers: {
          GET: (c) => this.#listMembers(c),
          POST: (c) => this.#changeMembers(c, 'add'),
          DELETE: (c) => this.#changeMembers(c, 'remove'),
        },
      },
      { pattern: /^\/api\/v1\/users\/me\/$/, handlers: { GET: () => json(200, this.#state.user) } },
      { pattern: /^\/api\/v1\/workspaces\/$/, handlers: { GET: (c) => this.#listWorkspaces(c) } },
      { pattern: /^\/api\/v1\/messages\/participant-group\/$/, handlers: { POST: (c) => this.#sendMessage(c) } },
      ...(opts.routes ?? []),
    ];
    // One table row per method, in the order above, so a 405's Allow lists them as declared.
    this.#routes = new RouteTable(
      routes.flatMap((route) => Object.entries(route.handlers).map(([method, handler]) => ({ path: route.pattern, methods: [method], handler }))),
    );
  }

  handle(request: ApiRequest): Reply {
    const auth = this.#authenticate(request.authorization);
    if (auth) return auth;

    const route = this.#routes.find(request.method, request.url.pathname);
    if (route.kind === 'none') return errorReply(404, `No API route matches ${request.url.pathname}`);
    if (route.kind === 'wrong_method') {
      const reply = errorReply(405, `Method "${request.method}" not allowed.`);
      return { ...reply, headers: { ...reply.headers, allow: route.allow.join(', ') } };
    }
    if (request.bodyText.trim() !== '' && !/^application\/json\b/i.test(request.contentType ?? '')) {
      return errorReply(415, `Unsupported media type "${request.contentType ?? ''}" in request.`);
    }
    if (!request.body.ok) return errorReply(400, `JSON parse error - ${request.body.message}`);
    let params: string[];
    try {
      params = route.params.map((part) => decodeURIComponent(part ?? ''));
    } catch {
      return errorReply(404, 'Not found.');
    }
    return route.handler({
      params,
      query: request.url.searchParams,
      body: request.body.value,
      url: request.url,
      origin: request.origin,
    });
  }

  #authenticate(header: string | undefined): Reply | undefined {
    if (!header) return errorReply(401, 'Authentication credentials were not provided.');
    const [scheme, value, ...rest] = header.trim().split(/\s+/);
    // Scheme compared case-insensitively, as Django REST framework's TokenAuthentication does.
    if (scheme?.toLowerCase() !== 'token' || rest.length > 0 || value !== this.#token) {
      return errorReply(401, 'Invalid token.');
    }
    return undefined;
  }

  // --- participant groups ---

  #listGroups(ctx: RouteContext): Reply {
    const workspaceId = ctx.query.get('workspace_id') ?? ctx.query.get('filter[workspace_id]');
    const projectId = ctx.query.get('project_id') ?? ctx.query.get('filter[project_id]');
    if (!workspaceId && !projectId) {
      return errorReply(400, { workspace_id: ['Either workspace_id or project_id must be given.'] });
    }
    const active = ctx.query.get('active');
    if (active !== null && active !== 'true' && active !== 'false') {
      return errorReply(400, { active: ['Must be "true" or "false".'] });
    }
    const wantDeleted = active === 'false';
    const groups: string[] = [];
    for (const record of this.#state.records()) {
      if (record.is_deleted !== wantDeleted) continue;
      if (workspaceId ? record.workspace_id !== workspaceId : record.project_id !== projectId) continue;
      groups.push(JSON.stringify(toGroup(record)));
    }
    const page = this.#page(ctx, groups.length);
    return listReply(groups.slice(page.start, page.end).join(','), page.extra);
  }

  #createGroup(ctx: RouteContext): Reply {
    const body = ctx.body;
    if (!isPlainObject(body)) return errorReply(400, { non_field_errors: ['Invalid data. Expected a dictionary.'] });
    const errors: FieldErrors = {};
    const name = body['name'];
    if (name === undefined || name === null) errors['name'] = ['This field is required.'];
    else if (typeof name !== 'string') errors['name'] = ['Not a valid string.'];
    else if (name.trim() === '') errors['name'] = ['This field may not be blank.'];

    const workspaceId = body['workspace_id'];
    const organisationId = body['organisation_id'];
    const hasWorkspace = workspaceId !== undefined && workspaceId !== null;
    const hasOrganisation = organisationId !== undefined && organisationId !== null;
    if (hasWorkspace && hasOrganisation) {
      errors['workspace_id'] = ['Give either workspace_id or organisation_id, not both.'];
    } else if (!hasWorkspace && !hasOrganisation) {
      errors['workspace_id'] = ['Either workspace_id or organisation_id must be given.'];
    } else if (hasWorkspace && (typeof workspaceId !== 'string' || workspaceId === '')) {
      errors['workspace_id'] = ['Not a valid string.'];
    } else if (hasWorkspace && !this.#state.workspaces.some((workspace) => workspace.id === workspaceId)) {
      errors['workspace_id'] = [`Workspace '${clip(String(workspaceId))}' does not exist.`];
    } else if (hasOrganisation && (typeof organisationId !== 'string' || organisationId === '')) {
      errors['organisation_id'] = ['Not a valid string.'];
    }

    const description = body['description'];
    if (description !== undefined && description !== null && typeof description !== 'string') {
      errors['description'] = ['Not a valid string.'];
    }
    const ids = body['participant_ids'] === undefined ? [] : checkParticipantIds(body['participant_ids'], errors);
    if (Object.keys(errors).length > 0) return errorReply(400, errors);

    const group = this.#state.createGroup({
      name: name as string,
      workspace_id: hasWorkspace ? (workspaceId as string) : null,
      organisation_id: hasOrganisation ? (organisationId as string) : null,
      description: typeof description === 'string' ? description : null,
      participant_ids: ids ?? [],
    });
    return json(201, group);
  }

  #getGroup(ctx: RouteContext): Reply {
    const record = this.#state.activeRecord(ctx.params[0]!);
    return record ? json(200, toGroup(record)) : groupNotFound();
  }

  #updateGroup(ctx: RouteContext): Reply {
    const id = ctx.params[0]!;
    if (!this.#state.activeRecord(id)) return groupNotFound();
    const body = ctx.body === undefined ? {} : ctx.body;
    if (!isPlainObject(body)) return errorReply(400, { non_field_errors: ['Invalid data. Expected a dictionary.'] });
    const errors: FieldErrors = {};
    const name = body['name'];
    if (name !== undefined) {
      if (typeof name !== 'string') errors['name'] = ['Not a valid string.'];
      else if (name.trim() === '') errors['name'] = ['This field may not be blank.'];
    }
    const ids = body['participant_ids'] === undefined ? undefined : checkParticipantIds(body['participant_ids'], errors);
    if (Object.keys(errors).length > 0) return errorReply(400, errors);

    if (typeof name === 'string') this.#state.renameGroup(id, name);
    if (ids) this.#state.setMembers(id, ids);
    return json(200, this.#state.getGroup(id));
  }

  #deleteGroup(ctx: RouteContext): Reply {
    const id = ctx.params[0]!;
    if (!this.#state.activeRecord(id)) return groupNotFound();
    this.#state.deleteGroup(id);
    return { status: 204 };
  }

  // --- memberships ---

  #listMembers(ctx: RouteContext): Reply {
    const record = this.#state.activeRecord(ctx.params[0]!);
    if (!record) return groupNotFound();
    const page = this.#page(ctx, record.members.size);
    return membershipReply(record.members, page.start, page.end, page.extra);
  }

  #changeMembers(ctx: RouteContext, change: 'add' | 'remove'): Reply {
    const id = ctx.params[0]!;
    const record = this.#state.activeRecord(id);
    if (!record) return groupNotFound();
    const body = ctx.body;
    if (!isPlainObject(body)) return errorReply(400, { participant_ids: ['This field is required.'] });
    const errors: FieldErrors = {};
    let ids: string[] | undefined;
    if (body['participant_ids'] === undefined) errors['participant_ids'] = ['This field is required.'];
    else ids = checkParticipantIds(body['participant_ids'], errors);
    if (!ids) return errorReply(400, errors);

    if (change === 'add') this.#state.addMembers(id, ids);
    else this.#state.removeMembers(id, ids);
    return membershipReply(record.members, 0, record.members.size, '');
  }

  // --- account and messages ---

  #listWorkspaces(ctx: RouteContext): Reply {
    const workspaces = this.#state.workspaces.map((workspace) => JSON.stringify(workspace));
    const page = this.#page(ctx, workspaces.length);
    return listReply(workspaces.slice(page.start, page.end).join(','), page.extra);
  }

  #sendMessage(ctx: RouteContext): Reply {
    const body = ctx.body;
    if (!isPlainObject(body)) return errorReply(400, { non_field_errors: ['Invalid data. Expected a dictionary.'] });
    const errors: FieldErrors = {};
    const groupId = body['participant_group_id'];
    const text = body['body'];
    const studyId = body['study_id'];
    if (typeof groupId !== 'string' || groupId === '') errors['participant_group_id'] = ['This field is required.'];
    if (typeof text !== 'string' || text.trim() === '') errors['body'] = ['This field is required.'];
    if (studyId !== undefined && typeof studyId !== 'string') errors['study_id'] = ['Not a valid string.'];
    if (Object.keys(errors).length > 0) return errorReply(400, errors);
    const group = this.#state.activeRecord(groupId as string);
    if (!group) return groupNotFound();
    const recipients = [...group.members.keys()];
    if (recipients.length === 0) return errorReply(400, { participant_group_id: ['This participant group has no members.'] });
    if (recipients.length > this.#messageRecipientCap) {
      return errorReply(400, { participant_group_id: [`A message can be sent to at most ${this.#messageRecipientCap} participants; this group has ${recipients.length}.`] });
    }
    this.#state.messages.push({
      participant_group_id: groupId as string,
      body: text as string,
      ...(typeof studyId === 'string' ? { study_id: studyId } : {}),
      participant_ids: recipients,
      at: new Date(),
    });
    return { status: 204 };
  }

  // --- paging ---

  /** The window of a list to answer, and the meta/_links members to add when paging is on. */
  #page(ctx: RouteContext, total: number): { start: number; end: number; extra: string } {
    if (!this.#pageSize) return { start: 0, end: total, extra: '' };
    const offset = nonNegativeInteger(ctx.query.get('offset')) ?? 0;
    const limit = Math.min(nonNegativeInteger(ctx.query.get('limit')) || this.#pageSize, this.#pageSize);
    const start = Math.min(offset, total);
    const end = Math.min(start + limit, total);
    const link = (at: number): string => {
      const url = new URL(ctx.url.pathname + ctx.url.search, ctx.origin);
      url.searchParams.set('offset', String(at));
      url.searchParams.set('limit', String(limit));
      return url.href;
    };
    const links = {
      self: { href: link(start) },
      next: { href: end < total ? link(end) : null },
      previous: { href: start > 0 ? link(Math.max(0, start - limit)) : null },
    };
    return { start, end, extra: `,"meta":{"count":${total}},"_links":${JSON.stringify(links)}` };
  }
}

function groupNotFound(): Reply {
  return errorReply(404, 'Participant group not found.');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function nonNegativeInteger(text: string | null): number | undefined {
  if (text === null || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

