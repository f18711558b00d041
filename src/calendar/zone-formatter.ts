// Building an Intl.DateTimeFormat is what makes date formatting slow: make each one once per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** A cached `Intl.DateTimeFormat` (en-US) for `zone` with `options`; `name` tells the option sets apart. */
export function zoneFormatter(name: string, zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${name}|${zone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { ...options, timeZone: zone });
    formatters.set(key, formatter);
  }
  return formatter;
}

/** The parts of `at` as the formatter names them (weekday, year, month, hour, …). */
export function partsOf(formatter: Intl.DateTimeFormat, at: Date): Record<string, string> {
  return Object.fromEntries(formatter.formatToParts(at).map((part) => [part.type, part.value]));
}
