/** Injection tokens of lending's own providers. */
export const LENDING_OPTIONS = Symbol('LENDING_OPTIONS');
/** Business time in the app: the wall clock (a function returning now), injectable for tests. */
export const LENDING_CLOCK = Symbol('LENDING_CLOCK');

export type LendingClock = () => Date;
