import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * The court's country: a United States court, whose filers' numbers are read as U.S. numbers when
 * they carry no country code (see phoneSchema in src/tickets/ticket.schema.ts).
 */
export const COURT_COUNTRY: CountryCode = 'US';

/**
 * A phone number as people write it in the court's country: (206) 555-0142 for a number dialled
 * there without a country code (the North American plan: the U.S., its territories, Canada), and
 * +44 20 7946 0958 for others. Text that is not a phone number is shown as it was stored.
 */
export function displayPhone(stored: string, country: CountryCode = COURT_COUNTRY): string {
  const phone = parsePhoneNumberFromString(stored, country);
  if (!phone) return stored;
  return phone.countryCallingCode === getCountryCallingCode(country) ? phone.formatNational() : phone.formatInternational();
}

/** A `tel:` link for a stored number (E.164 when it reads as a phone number), so a phone can call it. */
export function phoneLink(stored: string, country: CountryCode = COURT_COUNTRY): string {
  return parsePhoneNumberFromString(stored, country)?.getURI() ?? `tel:${stored.replace(/[^\d+]/g, '')}`;
}
