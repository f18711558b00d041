import { createHash, randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { AuditService } from '../audit/audit.service';
import type { Db } from '../db/knex';
import { AppError } from '../errors';
import * as firstRun from './first-run.repository';
import * as staffRepo from './staff.repository';

const LINK_MINUTES = 60;
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** The set-up link cannot be used: already used, expired, or an account exists now. */
export class SetupClosed extends AppError {
  constructor() {
    super(410, 'setup_closed', 'This set-up link has been used or has expired.');
  }
}

/**
 * First-run set-up: while no staff account exists, the server prints a one-time link (valid once,
 * for an hour) that offers to create the first administrator. Only the link's hash is stored, and
 * creating the administrator uses up every link, so the page is gone once an account exists.
 */
export function createFirstRunSetup(db: Db, now: () => Date = () => new Date(), audit?: Pick<AuditService, 'record'>) {
  return {
    /** A new set-up token when no staff account exists yet; null otherwise (the usual start). */
    async issueToken(): Promise<{ token: string; expiresAt: Date } | null> {
      if (await firstRun.anyStaffAccount(db)) return null;
      const token = randomBytes(32).toString('base64url');
      const at = now();
      const expiresAt = new Date(at.getTime() + LINK_MINUTES * 60_000);
      await firstRun.insertSetupToken(db, {
        hash: sha256(token),
        createdAt: at.toISOString(),
        expiresAt: expiresAt.toISOString(),
      });
      return { token, expiresAt };
    },

    /** Whether the set-up page may be shown for this token: 404 for a token never issued, 410 once closed. */
    async check(token: string): Promise<void> {
      const state = await firstRun.setupTokenState(db, sha256(token), now().toISOString());
      if (state === 'unknown') throw new AppError(404, 'not_found', 'There is no set-up link at this address.');
      if (state !== 'valid' || (await firstRun.anyStaffAccount(db))) throw new SetupClosed();
    },

    /** Creates the first administrator with the link, using up every set-up link in the same transaction. */
    async createFirstAdmin(
      token: string,
      input: { email: string; name: string; password: string },
      address?: string,
    ): Promise<void> {
      await this.check(token);
      const passwordHash = await hash(input.password);
      const at = now().toISOString();
      await db.transaction(async (trx) => {
        if (!(await firstRun.useUpSetupTokens(trx, sha256(token), at))) throw new SetupClosed();
        if (await firstRun.anyStaffAccount(trx)) throw new SetupClosed();
        const id = await staffRepo.insertUser(trx, {
          email: input.email.toLowerCase(),
          name: input.name,
          role: 'admin',
          passwordHash,
          createdAt: at,
        });
        // Whoever held the link is nobody yet: the entry names the account made, and the address.
        await audit?.record(
          {
            actor: 'anonymous',
            action: 'staff.added',
            subject: { type: 'staff_user', id },
            details: { role: 'admin', via: 'first-run set-up' },
            address,
          },
          trx,
        );
      });
    },

    anyStaffAccount: () => firstRun.anyStaffAccount(db),
  };
}

export type FirstRunSetup = ReturnType<typeof createFirstRunSetup>;
