import { z } from 'zod';
import { validationFailed } from './api-error';

/** More problems than this in one request are cut: the first ones are enough to fix it. */
export const VALIDATION_PROBLEMS_MAX = 10;

/**
 * Validates `value` (a body, a query, a path parameter) with a zod schema and returns its
 * output, or throws a 400 `VALIDATION_FAILED` whose message names each bad field:
 * `amountMinor: must be a string of digits; currency: must be an ISO 4217 code`.
 *
 * `root` names the value itself, for a problem with the whole of it (`body: expected an
 * object`) or when the value is a single parameter (`merchantId: must be …`).
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, root: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw validationFailed(describeValidationIssues(result.error.issues, root));
}

/** `items[2].amountMinor: must be …; currency: …` — one clause per problem, the field first. */
export function describeValidationIssues(issues: readonly z.core.$ZodIssue[], root: string): string {
  const clauses = issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map(
        (key) => `${fieldName([...issue.path, key], root)}: is not a field of this request`,
      );
    return [`${fieldName(issue.path, root)}: ${issue.message}`];
  });
  const shown = clauses.slice(0, VALIDATION_PROBLEMS_MAX);
  const more = clauses.length - shown.length;
  return more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; ');
}

/** A zod path as a person writes it: `lines[0].amountMinor`; the root's own name when empty. */
export function fieldName(path: readonly PropertyKey[], root: string): string {
  if (path.length === 0) return root;
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      const name = String(segment);
      return index === 0 ? name : `.${name}`;
    })
    .join('');
}
