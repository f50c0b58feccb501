import { routeLabel, UNMATCHED_ROUTE } from './metric-names';

describe('routeLabel', () => {
  it.each([
    ['', '/v1/merchants/:merchantId/profile', '/v1/merchants/:merchantId/profile'],
    [undefined, '/health/ready', '/health/ready'],
    ['/v1', '/loans/:loanId', '/v1/loans/:loanId'],
    ['', '', '/'],
    ['', undefined, UNMATCHED_ROUTE],
    ['', /regex/, UNMATCHED_ROUTE],
  ])('base %p and route %p make %p', (baseUrl, routePath, label) => {
    expect(routeLabel(baseUrl, routePath)).toBe(label);
  });
});
