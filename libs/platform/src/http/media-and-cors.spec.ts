import { parseCorsOrigins } from './cors-origins';
import { isJsonMediaType, requestHasBody } from './media-type';

describe('isJsonMediaType', () => {
  it.each<[string | undefined, boolean]>([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['Application/JSON', true],
    ['application/merge-patch+json', true],
    ['application/cloudevents+json; charset=UTF-8', true],
    ['text/plain', false],
    ['application/x-www-form-urlencoded', false],
    ['application/jsonp', false],
    ['multipart/form-data; boundary=x', false],
    [undefined, false],
  ])('%j → %s', (contentType, json) => {
    expect(isJsonMediaType(contentType)).toBe(json);
  });
});

describe('requestHasBody', () => {
  it.each<[Record<string, string>, boolean]>([
    [{}, false],
    [{ 'content-length': '0' }, false],
    [{ 'content-length': '12' }, true],
    [{ 'transfer-encoding': 'chunked' }, true],
  ])('%j → %s', (headers, hasBody) => {
    expect(requestHasBody(headers)).toBe(hasBody);
  });
});

describe('parseCorsOrigins', () => {
  it.each<[string | undefined, string[]]>([
    [undefined, []],
    ['', []],
    ['https://ops.example.com', ['https://ops.example.com']],
    ['https://ops.example.com/, http://localhost:5173', ['https://ops.example.com', 'http://localhost:5173']],
    ['HTTPS://OPS.example.com:443,https://ops.example.com', ['https://ops.example.com']],
  ])('%j → %j', (raw, origins) => {
    expect(parseCorsOrigins(raw)).toEqual({ ok: true, origins });
  });

  it.each([
    ['*', 'not allowed'],
    ['null', 'not allowed'],
    ['ops.example.com', 'is not an origin'],
    ['https://ops.example.com/app', 'is not an origin'],
    ['https://ops.example.com?x=1', 'is not an origin'],
    ['ftp://ops.example.com', 'is not an origin'],
    ['https://user:pw@ops.example.com', 'is not an origin'],
  ])('refuses %j', (raw, problem) => {
    expect(parseCorsOrigins(raw)).toEqual({ ok: false, problem: expect.stringContaining(problem) });
  });
});
