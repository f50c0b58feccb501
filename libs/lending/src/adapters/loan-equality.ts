import { Loan } from '../loan';

/** Whether two states of a loan are the same in every field: a loan a job left as it was is not written again. */
export function sameLoan(first: Loan, second: Loan): boolean {
  const keys = Object.keys(first) as Array<keyof Loan>;
  return (
    keys.length === Object.keys(second).length && keys.every((key) => Object.is(first[key], second[key]))
  );
}
