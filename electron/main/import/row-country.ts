import { isSupportedCountry, phoneCountries, type CountryCode } from '../../../common/phone';
import { headerKey } from '../../../common/csv';

let byName: Map<string, CountryCode> | null = null;

/** English country names (and a few common short forms) → ISO code, built once from the phone metadata. */
function countryNames(): Map<string, CountryCode> {
  if (byName) return byName;
  byName = new Map();
  const names = new Intl.DisplayNames(['en'], { type: 'region' });
  for (const { code } of phoneCountries()) {
    const name = names.of(code);
    if (name) byName.set(headerKey(name), code);
  }
  for (const [alias, code] of [['uk', 'GB'], ['greatbritain', 'GB'], ['england', 'GB'], ['usa', 'US'], ['unitedstatesofamerica', 'US'], ['deutschland', 'DE'], ['holland', 'NL']] as const) {
    byName.set(alias, code);
  }
  return byName;
}

/**
 * The country a row names for its national numbers: an ISO code (`GB`, `gb`) or an English name
 * (`United Kingdom`). null for an empty cell; undefined when the cell names no country we know.
 */
export function readRowCountry(cell: string): CountryCode | null | undefined {
  const text = cell.trim();
  if (text === '') return null;
  const code = text.toUpperCase();
  if (isSupportedCountry(code)) return code;
  return countryNames().get(headerKey(text));
}
