import type { Config } from '../config';
import type { Db } from '../db/knex';
import type { Logger } from '../logger';
import type { Services } from '../services';
import { watchMailbox } from './inbound/imap-intake';
import { imapSettings } from './mail-settings';

// How often the outbox is checked for mail that is due (new, or waiting for a retry).
const OUTBOX_INTERVAL_MS = 5_000;

/** The server's mail roles: IMAP intake (IDLE with polling) and the outbox sender, each when configured. */
export function startMailRoles(services: Services, config: Config, db: Db, log: Logger): { stop(): Promise<void> } {
  const { sender, intake } = services.mail;
  let sending: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  // One delivery run at a time; a nudge while one runs waits for it.
  const deliver = () => {
    if (!sender) return Promise.resolve();
    sending = sending
      .then(() => sender.deliverDue())
      .catch((error: unknown) => log.error({ err: error }, 'outbox delivery failed'));
    return sending;
  };
  if (sender) {
    timer = setInterval(() => void deliver(), OUTBOX_INTERVAL_MS);
    timer.unref();
    log.info('outgoing mail: on');
    if (!config.env.PUBLIC_URL) log.warn('PUBLIC_URL is not set: links in mail point to localhost and will not work for filers');
  } else log.info('outgoing mail: off (set SMTP_HOST and MAIL_FROM to send mail)');

  const imap = imapSettings(config);
  const watcher = imap ? watchMailbox(imap, db, intake, log, { afterPass: deliver, health: services.ops.mailHealth }) : null;
  log.info(imap ? `mail intake: watching ${imap.mailbox} on ${imap.host}` : 'mail intake: off (set IMAP_HOST to read mail)');

  return {
    async stop() {
      if (timer) clearInterval(timer);
      await watcher?.stop();
      await sending;
      sender?.close();
    },
  };
}
