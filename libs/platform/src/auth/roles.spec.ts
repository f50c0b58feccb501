import { describeRequiredRoles, grantsAccess, isApiRole } from './roles';

describe('grantsAccess', () => {
  const alice = { subject: 'alice', roles: ['ops:read', 'treasury'] };
  it.each<[readonly string[], boolean]>([
    [['ops:read'], true],
    [['ops:write'], false],
    [['ops:write', 'treasury'], true],
    [['OPS:READ'], false],
    [[], false],
  ])('route needing any of %j → %s', (anyOf, granted) => {
    expect(grantsAccess(alice, anyOf)).toBe(granted);
  });

  it('grants nothing to a principal without roles', () => {
    expect(grantsAccess({ subject: 'bob', roles: [] }, ['ops:read'])).toBe(false);
  });
});

describe('describeRequiredRoles and isApiRole', () => {
  it('names one role or the choice', () => {
    expect(describeRequiredRoles(['ops:read'])).toBe('the role ops:read');
    expect(describeRequiredRoles(['ops:write', 'treasury'])).toBe('one of the roles ops:write, treasury');
  });
  it.each([
    ['lending:drawdown', true],
    ['treasury', true],
    ['ops:admin', false],
  ])('%s is a role of the API: %s', (role, known) => {
    expect(isApiRole(role)).toBe(known);
  });
});
