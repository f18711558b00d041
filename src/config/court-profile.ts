import { readFileSync } from 'node:fs';
import path from 'node:path';
import { IANAZone } from 'luxon';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const time = z.string().regex(TIME, 'must be a time written HH:MM (24-hour)');
const span = z.tuple([time, time]).refine(([start, end]) => start < end, 'the opening time must come before the closing time');

const hoursSchema = z
  .object(Object.fromEntries(WEEKDAYS.map((day) => [day, span.optional()])) as Record<Weekday, z.ZodOptional<typeof span>>)
  .strict();

// A court's own procedure replaces this (outages.technicalFailureProcedure); said in general terms,
// since every court words its rules differently.
const DEFAULT_TECHNICAL_FAILURE_PROCEDURE =
  "If a problem with the court's systems kept you from filing on time, the court's rules for electronic filing " +
  'say how to ask for relief: usually you file the document as soon as you can, together with a request or ' +
  'statement that explains the technical failure. Keep this receipt: it records when the helpdesk heard from you. ' +
  'Problems on your side, such as your internet connection or your computer, usually do not count as a technical ' +
  "failure. The judge decides whether a late filing is accepted. The court's procedures for electronic filing are on its website.";

// How long records are kept (SPEC §12): whole days, or null to keep them for ever.
const retentionDays = z
  .number({ message: 'must be a whole number of days (1 or more), or null to keep for ever' })
  .int({ message: 'must be a whole number of days (1 or more), or null to keep for ever' })
  .min(1, { message: 'must be 1 day or more, or null to keep for ever (a negative or zero period is not allowed)' })
  .max(36_500, { message: 'must be at most 36500 days (100 years), or null to keep for ever' })
  .nullable()
  .default(null);
const KEEP_FOR_EVER = { closedTicketDays: null, privateOriginalDays: null, rawMailDays: null };

// Where a refused filer can go instead (SPEC §15): named as the court writes them, shown with every
// refusal of their kind (`all`: with both kinds), on the page and in the email.
const referralSchema = z
  .object({
    name: z.string().trim().min(1, { message: 'must name the service' }).max(200),
    url: z
      .url({ protocol: /^https?$/, message: 'must be a web address starting with https:// or http://' })
      .max(500)
      .optional(),
    phone: z.string().trim().min(7, { message: 'must be a phone number of 7 characters or more' }).max(40).optional(),
    for: z.enum(['legal_advice', 'judge_contact', 'all'], { message: 'must be legal_advice, judge_contact or all' }),
  })
  .strict();
export type Referral = z.infer<typeof referralSchema>;

// The built-in court: a made-up district, marked as an example wherever its name is shown, so that an
// installation that forgot COURT_PROFILE never passes for a real court.
export const EXAMPLE_COURT_NAME = 'United States District Court, Western District of Example (example)';

// Three working days of the built-in seven-hour day: most CM/ECF problems are solved in one or two
// exchanges, and a request still open after three days is one a supervisor wants to see.
export const DEFAULT_RESOLUTION_BUSINESS_HOURS = 21;

/** The court profile: every key optional, missing keys take the built-in default (SPEC §2). */
export const courtProfileSchema = z
  .object({
    court: z
      .object({
        name: z.string().min(1).default(EXAMPLE_COURT_NAME),
        id: z
          .string()
          .regex(/^[a-z0-9]+$/)
          .default('court'),
      })
      .strict()
      .default({ name: EXAMPLE_COURT_NAME, id: 'court' }),
    helpdesk: z
      .object({ email: z.email().default('ecfhelp@example.gov'), phone: z.string().min(7).default('(866) 555-0100') })
      .strict()
      .default({ email: 'ecfhelp@example.gov', phone: '(866) 555-0100' }),
    timezone: z
      .string()
      .refine((zone) => IANAZone.isValidZone(zone), 'must be an IANA time zone such as America/Los_Angeles')
      .default('America/Los_Angeles'),
    hours: hoursSchema.default({
      mon: ['09:00', '16:00'],
      tue: ['09:00', '16:00'],
      wed: ['09:00', '16:00'],
      thu: ['09:00', '16:00'],
      fri: ['09:00', '16:00'],
    }),
    holidays: z.enum(['us-federal', 'none']).default('us-federal'),
    closures: z
      .array(z.object({ date: z.string().regex(DATE, 'must be a date written YYYY-MM-DD'), name: z.string().min(1) }).strict())
      .default([]),
    maintenance: z
      .array(z.object({ day: z.enum(WEEKDAYS), start: time, end: time }).strict())
      .default([{ day: 'sat', start: '06:00', end: '10:00' }]),
    firstResponseBusinessHours: z.number().positive().max(200).default(2),
    // Business hours from a request to its resolution, not counting the time it waits for the filer.
    resolutionBusinessHours: z
      .number({ message: 'must be a number of business hours, such as 21' })
      .positive({ message: 'must be more than 0 business hours' })
      .max(2000, { message: 'must be at most 2000 business hours' })
      .default(DEFAULT_RESOLUTION_BUSINESS_HOURS),
    // The USWDS "official website of the United States government" banner on the public pages:
    // only for a court's own .gov site, so off unless the profile asks for it.
    officialBanner: z.boolean({ message: 'must be true or false' }).default(false),
    referrals: z.array(referralSchema).max(20, { message: 'at most 20 referrals' }).default([]),
    callbacks: z
      .object({
        slotMinutes: z.number().int().min(5).max(240).default(15),
        capacity: z.number().int().min(1).max(50).default(2),
        horizonDays: z.number().int().min(1).max(365).default(30),
        minNoticeMinutes: z.number().int().min(0).max(10080).default(60),
      })
      .strict()
      .default({ slotMinutes: 15, capacity: 2, horizonDays: 30, minNoticeMinutes: 60 }),
    outages: z
      .object({
        /** What the court's procedure says a filer does when CM/ECF fails them: shown on outage receipts. */
        technicalFailureProcedure: z.string().trim().min(1).max(4000).default(DEFAULT_TECHNICAL_FAILURE_PROCEDURE),
      })
      .strict()
      .default({ technicalFailureProcedure: DEFAULT_TECHNICAL_FAILURE_PROCEDURE }),
    retention: z
      .object({ closedTicketDays: retentionDays, privateOriginalDays: retentionDays, rawMailDays: retentionDays })
      .strict()
      .default(KEEP_FOR_EVER),
  })
  .strict()
  .refine((profile) => profile.resolutionBusinessHours >= profile.firstResponseBusinessHours, {
    path: ['resolutionBusinessHours'],
    message: 'must be at least firstResponseBusinessHours: a request is answered before it is resolved',
  });

export type CourtProfile = z.infer<typeof courtProfileSchema>;

/** Turns zod issues into lines that name the offending key. */
export function describeIssues(issues: z.core.$ZodIssue[], prefix: string): string[] {
  return issues.map((issue) => `${prefix}${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

/** Reads the court profile from a JSON or YAML file, or the built-in default when no file is given. */
export function loadCourtProfile(file?: string): CourtProfile {
  if (!file) return courtProfileSchema.parse({});
  let raw: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    raw = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new Error(`COURT_PROFILE: cannot read ${path.resolve(file)}: ${(error as Error).message}`, { cause: error });
  }
  const result = courtProfileSchema.safeParse(raw ?? {});
  if (!result.success) {
    throw new Error(`COURT_PROFILE ${file} is not valid:\n  ${describeIssues(result.error.issues, '').join('\n  ')}`);
  }
  return result.data;
}
