import { domainToASCII } from 'node:url';
import { z } from 'zod';

// A mailbox by RFC 5321 (section 4.1.2, lengths from 4.5.3.1) with the internationalised forms of
// RFC 6531: a dot-string or quoted local part that may hold UTF-8, and a domain whose labels may be
// Unicode. A module of its own, with nothing but node:url and zod: the mail reader's worker checks
// every sender with it and need not load the ticket form's phone number library to do so.

const MAX_LOCAL_OCTETS = 64;
const MAX_DOMAIN_OCTETS = 255;
// The path (<address>) is at most 256 octets, so the address itself at most 254.
const MAX_ADDRESS_OCTETS = 254;
const MAX_LABEL_OCTETS = 63;

// Characters beyond ASCII that RFC 6531 allows (UTF8-non-ascii), less those that cannot be seen or
// that reorder text: controls, unpaired surrogates, spaces and separators, private use, and format
// characters other than the zero-width joiners some scripts need.
// (ASCII is left to the patterns below: a quoted local part may hold a space.)
const UNSEEN = /(?=[^\p{ASCII}])(?:[\p{Cc}\p{Cs}\p{Co}\p{Z}]|(?![\u200c\u200d])\p{Cf})/u;
const ATOM = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\u{10ffff}]+$/u;
// Quoted-string content: printable ASCII but " and \, a backslash pair, or UTF-8.
const QUOTED = /^"(?:[\x20\x21\x23-\x5b\x5d-\x7e\u0080-\u{10ffff}]|\\[\x20-\x7e])+"$/u;
const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

const octets = (text: string) => Buffer.byteLength(text, 'utf8');

function isDotString(local: string): boolean {
  return local.split('.').every((atom) => ATOM.test(atom));
}

/** The local part as RFC 5321 asks it written: unquoted when its content is a plain dot-string. */
function localPartOf(local: string): string | null {
  if (UNSEEN.test(local)) return null;
  if (isDotString(local)) return local;
  if (!QUOTED.test(local)) return null;
  const content = local.slice(1, -1).replace(/\\(.)/g, '$1');
  return isDotString(content) ? content : local;
}

type Checked = { address: string } | { problem: 'invalid_email' | 'too_long' };

/**
 * The domain in its ASCII form (international labels as punycode A-labels), or why it is not a
 * domain mail can be sent to: it needs at least two labels of letters, digits and inner hyphens and
 * a top-level label that is not a number. Address literals such as [192.0.2.1] are refused: no
 * filer has one.
 */
function asciiDomainOf(domain: string): { ascii: string } | { problem: 'invalid_email' | 'too_long' } {
  // % would be read as an escape (ex%41mple.com as example.com): no domain holds one.
  if (domain === '' || UNSEEN.test(domain) || domain.startsWith('[') || domain.includes('%')) return { problem: 'invalid_email' };
  // UTS #46 as browsers apply it: case folded, full-width forms mapped, Unicode labels to punycode.
  const ascii = domainToASCII(domain);
  if (ascii === '') return { problem: 'invalid_email' };
  if (octets(ascii) > MAX_DOMAIN_OCTETS) return { problem: 'too_long' };
  const labels = ascii.split('.');
  if (labels.length < 2 || /^\d+$/.test(labels[labels.length - 1])) return { problem: 'invalid_email' };
  return labels.every((label) => label.length <= MAX_LABEL_OCTETS && LABEL.test(label))
    ? { ascii }
    : { problem: 'invalid_email' };
}

/**
 * Checks an address and writes it in one form per mailbox: Unicode normalised (NFC), lower-cased,
 * and the domain in ASCII, the form DNS and mail use, so that an address typed on the web and the
 * same address arriving by email compare equal, and a look-alike letter in a domain shows as such.
 */
export function checkEmailAddress(input: string): Checked {
  const text = input.normalize('NFC');
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return { problem: 'invalid_email' };
  const written = localPartOf(text.slice(0, at));
  if (written === null) return { problem: 'invalid_email' };
  const domain = asciiDomainOf(text.slice(at + 1));
  if ('problem' in domain) return domain;
  const local = written.toLowerCase();
  const address = `${local}@${domain.ascii}`;
  if (octets(local) > MAX_LOCAL_OCTETS || octets(address) > MAX_ADDRESS_OCTETS) return { problem: 'too_long' };
  return { address };
}

/** An address with its domain in ASCII (punycode), as it is given to the mail server; others unchanged. */
export function withAsciiDomain(address: string): string {
  const at = address.lastIndexOf('@');
  const domain = at > 0 ? domainToASCII(address.slice(at + 1)) : '';
  return domain ? `${address.slice(0, at)}@${domain}` : address;
}

/** Whether two addresses name the same mailbox (any case, Unicode or ASCII domain). */
export function sameMailbox(a: string, b: string): boolean {
  const [x, y] = [checkEmailAddress(a.trim()), checkEmailAddress(b.trim())];
  return 'address' in x && 'address' in y && x.address === y.address;
}

/** An email address, trimmed, checked and written in one form per mailbox (see checkEmailAddress). */
export const emailSchema = z
  .string()
  .trim()
  .min(1)
  .max(1000)
  .transform((value, ctx) => {
    const checked = checkEmailAddress(value);
    if ('address' in checked) return checked.address;
    ctx.addIssue({ code: 'custom', params: { code: checked.problem }, message: checked.problem });
    return z.NEVER;
  });
