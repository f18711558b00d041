import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { describeIssues, loadCourtProfile, type CourtProfile } from './court-profile';

const bool = z.enum(['true', 'false']).transform((value) => value === 'true');
const port = z.coerce.number().int().min(1).max(65535);

/** What a process runs (HELPDESK_ROLES): the HTTP server, mail intake and sending, the scheduled jobs. */
export const ROLES = ['web', 'mail', 'jobs'] as const;
export type Role = (typeof ROLES)[number];

const roles = z.string().transform((value, ctx): Role[] => {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(ROLES as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    ctx.addIssue({
      code: 'custom',
      message: `${unknown.length > 0 ? `unknown role ${unknown.map((name) => `"${name}"`).join(', ')}` : 'name at least one role'}: use a comma-separated list of ${ROLES.join(', ')}`,
    });
    return z.NEVER;
  }
  return [...new Set(names as Role[])];
});

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'must start with sqlite: (e.g. sqlite:data/helpdesk.sqlite3) or postgres://')
    .default('sqlite:data/helpdesk.sqlite3'),
  COURT_PROFILE: z.string().min(1).optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** pretty: short lines for a person; json: a line per object for a log collector. Unset: pretty on a terminal. */
  LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
  IMAP_HOST: z.string().min(1).optional(),
  IMAP_PORT: port.optional(),
  IMAP_USER: z.string().optional(),
  IMAP_PASSWORD: z.string().optional(),
  IMAP_TLS: bool.default(true),
  IMAP_MAILBOX: z.string().min(1).default('INBOX'),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: port.optional(),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_TLS: bool.default(true),
  MAIL_FROM: z.email().optional(),
  MAIL_ATTACHMENT_MAX_MB: z.coerce.number().positive().max(100).default(10),
  HELPDESK_ROLES: roles.default([...ROLES]),
  /**
   * For tests and trials only: every job runs every N seconds (N divides 60, so periods line up with
   * the clock in every process) instead of its own schedule. Unset in production.
   */
  JOBS_EVERY_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(30)
    .refine((n) => 60 % n === 0, 'must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20 or 30)')
    .optional(),
  /** Bearer token for GET /metrics; unset, only loopback clients get an answer. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** required: every staff member who signs in with a password must use a second step (TOTP). */
  STAFF_MFA: z.enum(['required', 'optional']).default('required'),
  /** false: staff sign in only through single sign-on (OIDC_*). */
  STAFF_PASSWORD_SIGNIN: bool.default(true),
  /** Single sign-on with OpenID Connect: on when all three are set. */
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  readonly env: Env;
  readonly profile: CourtProfile;
  /** Folder that holds the SQLite file, the generated session secret and stored mail. */
  readonly dataDir: string;
  readonly sessionSecret: string;
}

/** Thrown at start when the environment or the profile is wrong; the message names every bad variable. */
export class ConfigError extends Error {}

function keptSecret(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** The data folder: the SQLite file's folder, else `data/`. */
function dataDirFor(databaseUrl: string): string {
  if (!databaseUrl.startsWith('sqlite:')) return path.resolve('data');
  return path.dirname(sqliteFilename(databaseUrl));
}

/** `sqlite:data/x.sqlite3` → relative path; `sqlite:///var/x.sqlite3` → absolute path. */
export function sqliteFilename(databaseUrl: string): string {
  const rest = databaseUrl.slice('sqlite:'.length);
  if (rest.startsWith('///')) return rest.slice(2);
  if (rest.startsWith('//')) return path.resolve(rest.slice(2));
  return path.resolve(rest);
}

/** Whether this process runs `role` (HELPDESK_ROLES). */
export const hasRole = (config: Config, role: Role): boolean => config.env.HELPDESK_ROLES.includes(role);

/** Validates the environment and the court profile; frozen. Throws ConfigError naming what is wrong. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const values = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(values);
  if (!parsed.success) {
    throw new ConfigError(`Invalid environment:\n  ${describeIssues(parsed.error.issues, '').join('\n  ')}`);
  }
  const env = parsed.data;
  const problems: string[] = [];
  if (env.IMAP_HOST && (!env.IMAP_USER || !env.IMAP_PASSWORD))
    problems.push('IMAP_USER and IMAP_PASSWORD: required when IMAP_HOST is set');
  if ((env.IMAP_HOST || env.SMTP_HOST) && !env.MAIL_FROM) problems.push('MAIL_FROM: required when IMAP_HOST or SMTP_HOST is set');
  const oidcSet = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (oidcSet > 0 && oidcSet < 3) problems.push('OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET: set all three, or none');
  if (!env.STAFF_PASSWORD_SIGNIN && oidcSet < 3)
    problems.push(
      'STAFF_PASSWORD_SIGNIN: false needs single sign-on (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET), or nobody could sign in',
    );
  if (problems.length > 0) throw new ConfigError(`Invalid environment:\n  ${problems.join('\n  ')}`);

  let profile: CourtProfile;
  try {
    profile = loadCourtProfile(env.COURT_PROFILE);
  } catch (error) {
    throw new ConfigError((error as Error).message, { cause: error });
  }
  const dataDir = dataDirFor(env.DATABASE_URL);
  return Object.freeze({
    env: Object.freeze(env),
    profile: Object.freeze(profile),
    dataDir,
    sessionSecret: env.SESSION_SECRET ?? keptSecret(dataDir),
  });
}
