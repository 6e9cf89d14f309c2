import { servedWorkspaces } from '../../src/services/workspaces';

const A = { id: 'aaaaaaaaaaaaaaaaaaaaaaaa', title: 'Lab A' };
const B = { id: 'bbbbbbbbbbbbbbbbbbbbbbbb', title: 'Lab B' };

describe('servedWorkspaces', () => {
  it('one workspace seen: it is served and the default', () => {
    expect(servedWorkspaces([A], null, null)).toEqual({ served: [A], defaultId: A.id });
  });

  it('several and no PROLIFIC_WORKSPACE_ID: all served, no default (a channel chooses), no error', () => {
    expect(servedWorkspaces([A, B], null, null)).toEqual({ served: [A, B], defaultId: null });
  });

  it('WORKSPACE_IDS limits them; PROLIFIC_WORKSPACE_ID is the default', () => {
    expect(servedWorkspaces([A, B], [B.id.toUpperCase()], null)).toEqual({ served: [B], defaultId: B.id });
    expect(servedWorkspaces([A, B], null, B.id)).toEqual({ served: [A, B], defaultId: B.id });
  });

  it('PROLIFIC_WORKSPACE_ID is served even when the token does not list it, as before', () => {
    expect(servedWorkspaces([A], null, B.id)).toEqual({ served: [{ id: B.id, title: B.id }, A], defaultId: B.id });
  });
});
