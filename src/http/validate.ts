import type { z } from 'zod';
import { Invalid, type FieldError } from '../errors';

/** Plain-language messages for each field and error code; a schema file supplies its own table. */
export type MessageTable = Record<string, Partial<Record<string, string>>>;

const GENERIC: Record<string, string> = {
  required: 'Please fill this in.',
  too_short: 'This is too short.',
  too_long: 'This is too long.',
  invalid_type: 'This must be text.',
  invalid: 'This is not valid.',
};

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function codeOf(issue: z.core.$ZodIssue, input: unknown): string {
  switch (issue.code) {
    case 'invalid_type': {
      const value = valueAt(input, issue.path);
      return value === undefined || value === null ? 'required' : 'invalid_type';
    }
    case 'too_small':
      return issue.minimum === 1 ? 'required' : 'too_short';
    case 'too_big':
      return 'too_long';
    case 'invalid_format':
      return issue.format === 'email' ? 'invalid_email' : 'invalid';
    case 'custom':
      return String((issue.params as { code?: string } | undefined)?.code ?? 'invalid');
    default:
      return 'invalid';
  }
}

/** Turns zod issues into `{field, code, message}` errors, one per field (the first problem found). */
export function fieldErrors(issues: z.core.$ZodIssue[], messages: MessageTable, input: unknown): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const field = issue.path.map(String).join('.') || undefined;
    const key = field ?? '';
    if (seen.has(key)) continue;
    seen.add(key);
    const code = codeOf(issue, input);
    const message = (field && messages[field]?.[code]) ?? GENERIC[code] ?? issue.message;
    errors.push(field ? { field, code, message } : { code, message });
  }
  return errors;
}

/** Parses `input` with `schema`, or throws Invalid (400) carrying a field error for each bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, messages: MessageTable): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new Invalid(fieldErrors(result.error.issues, messages, input));
  return result.data;
}

/** Field errors keyed by field name, as the form templates read them. */
export function errorsByField(errors: FieldError[]): Record<string, FieldError> {
  return Object.fromEntries(errors.filter((e) => e.field).map((e) => [e.field as string, e]));
}
