// Where a forwarded or quoted message starts in plain text, as the common mail programs write it.
const QUOTE_STARTS = [
  /^-{2,}\s*(?:Original Message|Forwarded message|Forwarded Message)\s*-{2,}/im,
  /^Begin forwarded message:/im,
  /^On .{1,200}wrote:\s*$/im,
  /^_{10,}\s*$/m, // Outlook's rule above the quoted header block
  /^From: .+\r?\n(?:Sent|Date): .+/im,
];

/** Whether an address belongs to a federal court (CM/ECF and ACMS send from these domains). */
export function isCourtAddress(address: string | null | undefined): boolean {
  return /@(?:[a-z0-9-]+\.)*(?:uscourts\.gov|fedcourts\.us)$/i.test(address ?? '');
}

/**
 * What the sender wrote themselves: the text above any forwarded or quoted message, without lines
 * quoted with ">". A filer who forwards a court notice is not asking what the notice says.
 */
export function ownWords(text: string): string {
  let end = text.length;
  for (const start of QUOTE_STARTS) {
    const match = start.exec(text);
    if (match && match.index < end) end = match.index;
  }
  return text
    .slice(0, end)
    .split(/\r?\n/)
    .filter((line) => !line.startsWith('>'))
    .join('\n')
    .trim();
}
