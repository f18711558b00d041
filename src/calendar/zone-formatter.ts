// Building an Intl.DateTimeFormat is what makes date formatting slow: make each one once per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A cached `Intl.DateTimeFormat` for `zone` with `options` in `locale` (en-US unless a page or
 * message in another language asks); `name` tells the option sets apart.
 */
export function zoneFormatter(
  name: string,
  zone: string,
  options: Intl.DateTimeFormatOptions,
  locale = 'en-US',
): Intl.DateTimeFormat {
  const key = `${name}|${zone}|${locale}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { ...options, timeZone: zone });
    formatters.set(key, formatter);
  }
  return formatter;
}

/** The parts of `at` as the formatter names them (weekday, year, month, hour, …). */
export function partsOf(formatter: Intl.DateTimeFormat, at: Date): Record<string, string> {
  return Object.fromEntries(formatter.formatToParts(at).map((part) => [part.type, part.value]));
}
