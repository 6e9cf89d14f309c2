import { asDatabaseError, DatabaseError } from '../../src/store/databaseError';

describe('DatabaseError', () => {
  it('keeps the code for the log, in the message, and tells a refusal from an outage', () => {
    const refused = new DatabaseError(Object.assign(new Error('permission denied for table audit_log'), { code: '42501', severity: 'ERROR' }));
    expect([refused.code, refused.kind, refused.message]).toEqual(['42501', 'refused', 'permission denied for table audit_log (42501)']);
    const down = new DatabaseError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
    expect([down.code, down.kind]).toEqual(['ECONNREFUSED', 'unreachable']);
    expect(new DatabaseError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })).kind).toBe('unreachable');
    expect(new DatabaseError(new Error('Connection terminated unexpectedly'))).toMatchObject({ code: null, kind: 'unreachable' });
  });

  it('wraps only what a driver threw: an error of the work inside a transaction stays as it is', () => {
    const ours = new Error('the group changed');
    expect(asDatabaseError(ours)).toBe(ours);
    expect(asDatabaseError(Object.assign(new Error('could not serialize access'), { code: '40001', severity: 'ERROR' }))).toBeInstanceOf(DatabaseError);
  });
});
