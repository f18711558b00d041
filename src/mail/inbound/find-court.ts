// Court CM/ECF hosts are ecf.<court>.uscourts.gov (district and bankruptcy), ecf.<court>.uscourts.gov
// or <court>-ecf… for appellate; senders are …@<court>.uscourts.gov. Labels that name no court:
const NOT_A_COURT = new Set(['www', 'pacer', 'pcl', 'ecf', 'gtwy', 'uscourts', 'mail', 'smtp', 'notice', 'lists']);

function courtLabels(text: string, pattern: RegExp): string[] {
  return [...text.matchAll(pattern)]
    .map((m) => m[1].toLowerCase())
    .filter((label) => !NOT_A_COURT.has(label) && label.length >= 3);
}

/**
 * The court a CM/ECF notice came from, as its PACER id (`almd`, `cand`, `ca9`): the court of the
 * notice's own CM/ECF links first, then of the sending address. Null when the text names none.
 */
export function findCourtId(text: string, fromAddress?: string | null): string | null {
  const fromLinks = courtLabels(text, /\b(?:ecf|ecf-[a-z]+)\.([a-z0-9]+)\.uscourts\.gov\b/gi);
  const counts = new Map<string, number>();
  for (const label of fromLinks) counts.set(label, (counts.get(label) ?? 0) + 1);
  const mostLinked = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (mostLinked) return mostLinked;
  // Appellate ACMS notices come from …@<court>.fedcourts.us.
  const senderDomain = /@(?:[a-z0-9-]+\.)?([a-z0-9]+)\.(?:uscourts\.gov|fedcourts\.us)\b/gi;
  const sender = fromAddress ? courtLabels(fromAddress, senderDomain)[0] : undefined;
  if (sender) return sender;
  return courtLabels(text, senderDomain)[0] ?? null;
}
