/**
 * Names, places and phone number plans for generated people. Phone plans produce mobile numbers that
 * libphonenumber-js accepts as valid for their country; the subscriber part is a bijection of the
 * customer's index, so numbers are unique without keeping a set of those already used.
 */
export type Language = 'en' | 'de' | 'fr' | 'es' | 'nl';

export type Country = {
  code: string;
  locale: string;
  language: Language;
  timeZones: readonly string[];
  weight: number;
  /** Mobile prefixes after the country code, and how many subscriber digits follow each. */
  dialCode: string;
  mobilePrefixes: readonly string[];
  subscriberDigits: number;
  currency: string;
};

export const countries: readonly Country[] = [
  {
    code: 'GB',
    locale: 'en-GB',
    language: 'en',
    timeZones: ['Europe/London'],
    weight: 40,
    dialCode: '44',
    mobilePrefixes: ['740', '741', '742', '743', '747', '748', '749', '771', '772', '773', '774', '775'],
    subscriberDigits: 7,
    currency: '£',
  },
  {
    code: 'US',
    locale: 'en-US',
    language: 'en',
    timeZones: ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'],
    weight: 22,
    dialCode: '1',
    // Area codes in service (New York, Chicago, Denver, San Francisco, Seattle, Austin, Boston).
    mobilePrefixes: ['212', '312', '303', '415', '206', '512', '617'],
    subscriberDigits: 7,
    currency: '$',
  },
  {
    code: 'IE',
    locale: 'en-IE',
    language: 'en',
    timeZones: ['Europe/Dublin'],
    weight: 8,
    dialCode: '353',
    mobilePrefixes: ['83', '85', '86', '87', '89'],
    subscriberDigits: 7,
    currency: '€',
  },
  {
    code: 'AU',
    locale: 'en-AU',
    language: 'en',
    timeZones: ['Australia/Sydney', 'Australia/Melbourne'],
    weight: 4,
    dialCode: '61',
    mobilePrefixes: ['400', '401', '402', '403', '410', '411', '412', '413', '420', '421', '430', '431'],
    subscriberDigits: 6,
    currency: 'A$',
  },
  {
    code: 'DE',
    locale: 'de-DE',
    language: 'de',
    timeZones: ['Europe/Berlin'],
    weight: 9,
    dialCode: '49',
    mobilePrefixes: ['151', '152', '160', '170', '171', '176'],
    subscriberDigits: 8,
    currency: '€',
  },
  {
    code: 'FR',
    locale: 'fr-FR',
    language: 'fr',
    timeZones: ['Europe/Paris'],
    weight: 7,
    dialCode: '33',
    mobilePrefixes: ['60', '61', '62', '64', '65', '66', '67', '68', '74', '75', '76', '77'],
    subscriberDigits: 7,
    currency: '€',
  },
  {
    code: 'ES',
    locale: 'es-ES',
    language: 'es',
    timeZones: ['Europe/Madrid'],
    weight: 5,
    dialCode: '34',
    mobilePrefixes: ['6'],
    subscriberDigits: 8,
    currency: '€',
  },
  {
    code: 'NL',
    locale: 'nl-NL',
    language: 'nl',
    timeZones: ['Europe/Amsterdam'],
    weight: 5,
    dialCode: '31',
    mobilePrefixes: ['61', '62', '63', '64', '65', '68'],
    subscriberDigits: 7,
    currency: '€',
  },
];

/** Splits a comma-separated list written over several lines (keeps long name lists compact). */
function list(text: string): readonly string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export const firstNames: Record<Language, readonly string[]> = {
  en: list(`
    Oliver, Amelia, George, Olivia, Harry, Isla, Jack, Ava, Noah, Emily, Charlie, Sophia, Thomas,
    Grace, James, Mia, William, Poppy, Daniel, Ella, Samuel, Lily, Joseph, Chloe, Michael, Sarah,
    David, Emma, Matthew, Hannah, Ryan, Jessica, Liam, Aoife, Sean, Niamh, Priya, Arjun, Fatima,
    Mohammed, Wei, Mei, Kwame, Ama, Jacob, Madison, Ethan, Abigail, Tyler, Ashley, Connor, Zoe,
    Lucas, Ruby
  `),
  de: list(`
    Lukas, Anna, Leon, Lena, Finn, Marie, Jonas, Sophie, Paul, Laura, Felix, Jana
  `),
  fr: list(`
    Louis, Camille, Gabriel, Léa, Hugo, Manon, Jules, Chloé, Arthur, Inès, Théo, Zoé
  `),
  es: list(`
    Hugo, Lucía, Mateo, Sofía, Martín, María, Pablo, Paula, Álvaro, Carmen, Diego, Elena
  `),
  nl: list(`
    Daan, Emma, Sem, Julia, Lucas, Tess, Levi, Sanne, Bram, Fleur, Thijs, Noor
  `),
};

export const lastNames: Record<Language, readonly string[]> = {
  en: list(`
    Smith, Jones, Taylor, Brown, Williams, Wilson, Johnson, Davies, Robinson, Wright, Thompson,
    Evans, Walker, White, Roberts, Green, Hall, Wood, Jackson, Clarke, Patel, Khan, Murphy, Kelly,
    O'Brien, Byrne, Ryan, Walsh, Nguyen, Chen, Okafor, Mensah, Miller, Davis, Garcia, Rodriguez,
    Martinez, Anderson, Moore, Lee, Harris, Lewis
  `),
  de: list(`
    Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Hoffmann, Koch
  `),
  fr: list(`
    Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy, Moreau
  `),
  es: list(`
    García, Fernández, González, Rodríguez, López, Martínez, Sánchez, Pérez, Gómez, Ruiz
  `),
  nl: list(`
    de Jong, Jansen, de Vries, van den Berg, van Dijk, Bakker, Janssen, Visser, Smit, Meijer
  `),
};

export const companyNames: readonly string[] = list(`
  Acme Ltd, Bluebell Bakery, Harbour Logistics, Northgate Dental, Pixel & Co, Greenleaf Cafe,
  Summit Consulting, Riverside Studio, Oak & Iron Joinery, Brightside Events, Kestrel Analytics,
  Maple Tree Nursery, Copperfield Legal, Lighthouse Media, Foxglove Florists, Atlas Removals,
  Cobalt Engineering, Willow Yoga, Redwood Builders, Saffron Kitchen
`);

export const emailDomains: readonly string[] = ['example.com', 'example.net', 'example.org'];

/** Lowercase ASCII for e-mail local parts: `Léa O'Brien` -> `lea`, `obrien`. */
export function asciiSlug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/** Odd and not a multiple of 5, so `(i * M + C) mod n` is a bijection on [0, n) for n = 10^d or 8 * 10^6. */
const SCRAMBLE = 7_368_787;

/**
 * An E.164 mobile number for the customer with this index; distinct indexes always give distinct numbers
 * within a country (prefix choice and subscriber digits are both functions of the index).
 */
export function phoneFor(country: Country, index: number): string {
  const space = 10 ** country.subscriberDigits;
  const prefixes = country.mobilePrefixes;
  const prefix = prefixes[index % prefixes.length] as string;
  const slot = Math.floor(index / prefixes.length);
  // North American exchange codes can't start with 0 or 1, so US subscriber numbers live in [2000000, 9999999].
  const floor = country.code === 'US' ? 2_000_000 : 0;
  const subscriber = floor + ((slot * SCRAMBLE + 4_104_719) % (space - floor));
  return `+${country.dialCode}${prefix}${String(subscriber).padStart(country.subscriberDigits, '0')}`;
}
