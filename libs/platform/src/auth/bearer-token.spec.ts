import { BEARER_TOKEN_MAX_LENGTH, bearerTokenOf } from './bearer-token';

describe('bearerTokenOf', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc.def.ghi', 'abc.def.ghi'],
    ['BEARER   abc.def.ghi  ', 'abc.def.ghi'],
    ['Bearer a-b_c.d~e+f/g==', 'a-b_c.d~e+f/g=='],
  ])('%j → the token', (header, token) => {
    expect(bearerTokenOf(header)).toEqual({ ok: true, token });
  });

  it.each([undefined, '', '   '])('%j → missing', (header) => {
    expect(bearerTokenOf(header)).toMatchObject({
      ok: false,
      missing: true,
      message: expect.stringContaining('needs a bearer token'),
    });
  });

  it.each([
    ['Basic YWxpY2U6cHc=', 'must be "Bearer <jwt>"'],
    ['Bearer', 'must be "Bearer <jwt>"'],
    ['Bearer a b', 'must be "Bearer <jwt>"'],
    ['Bearerabc.def.ghi', 'must be "Bearer <jwt>"'],
    ['Bearer abc"def', 'characters a token cannot'],
    [`Bearer ${'a'.repeat(BEARER_TOKEN_MAX_LENGTH + 1)}`, `longer than ${BEARER_TOKEN_MAX_LENGTH}`],
  ])('%j → invalid', (header, message) => {
    expect(bearerTokenOf(header)).toMatchObject({
      ok: false,
      missing: false,
      message: expect.stringContaining(message),
    });
  });
});
