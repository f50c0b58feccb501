import { routeAccessProblems } from './route-access';

describe('routeAccessProblems', () => {
  it('accepts routes that are public or name roles', () => {
    expect(
      routeAccessProblems([
        { route: 'Health.live', isPublic: true, roles: undefined },
        { route: 'Lines.get', isPublic: false, roles: ['ops:read'] },
      ]),
    ).toEqual([]);
  });

  it('names every route that declares nothing, both, or no role', () => {
    expect(
      routeAccessProblems([
        { route: 'A.undeclared', isPublic: false, roles: undefined },
        { route: 'B.both', isPublic: true, roles: ['ops:read'] },
        { route: 'C.empty', isPublic: false, roles: [] },
      ]),
    ).toEqual([
      'A.undeclared declares no access: add @RequireRoles(...) or @Public()',
      'B.both is both @Public() and @RequireRoles(ops:read)',
      'C.empty has @RequireRoles() with no role',
    ]);
  });
});
