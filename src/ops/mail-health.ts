/**
 * How mail intake is doing in this process, for GET /readyz: the IMAP watcher reports each pass (or
 * failed connection) here. Plainly: healthy until a pass fails, then failing until one succeeds.
 */
export function createMailHealth() {
  let lastError: string | null = null;
  let lastSuccessAt: Date | null = null;
  return {
    passSucceeded(at = new Date()): void {
      lastError = null;
      lastSuccessAt = at;
    },
    passFailed(error: unknown): void {
      lastError = error instanceof Error ? error.message : String(error);
    },
    /** ok: starting, or the last pass succeeded; failing: the last pass or connection attempt failed. */
    state(): { healthy: boolean; lastSuccessAt: Date | null; lastError: string | null } {
      return { healthy: lastError === null, lastSuccessAt, lastError };
    },
  };
}

export type MailHealth = ReturnType<typeof createMailHealth>;
