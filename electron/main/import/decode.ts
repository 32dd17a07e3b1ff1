/**
 * Bytes of a spreadsheet's CSV → text. Spreadsheets write UTF-8 with a byte order mark (Excel's
 * "CSV UTF-8"), UTF-8 without one (Google Sheets, LibreOffice), UTF-16 with a BOM (Excel's
 * "Unicode text"), or the Windows code page (old Excel's "CSV", Windows-1252 in Western Europe).
 * Text that is not valid UTF-8 is read as Windows-1252.
 */
export type CsvEncoding = 'utf-8' | 'utf-8 (BOM)' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * Windows-1252's 0x80–0x9F (where it differs from Latin-1). Node 20's TextDecoder('windows-1252')
 * decodes those bytes as C1 control characters (Latin-1), so `€`, `Š`, `Ÿ`, curly quotes… would be lost.
 */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

export function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = new TextDecoder('latin1').decode(bytes);
  return latin1.replace(/[\u0080-\u009f]/g, (char) => String.fromCharCode(CP1252_HIGH[char.charCodeAt(0) - 0x80]!));
}

/** Bytes decoded per slice by `decodeCsvInSlices` (a few milliseconds of work). */
const DECODE_SLICE_BYTES = 512 * 1024;

/**
 * `decodeCsv` for big files: the same answer, decoded 512 KiB at a time with the event loop let
 * run in between (a 32 MiB file decoded at once would stall main).
 */
export async function decodeCsvInSlices(bytes: Uint8Array, yieldToLoop: () => Promise<void>): Promise<{ text: string; encoding: CsvEncoding }> {
  if (bytes.length <= DECODE_SLICE_BYTES) return decodeCsv(bytes);
  const hasUtf8Bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const isUtf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (isUtf16) return decodeCsv(bytes);
  const body = hasUtf8Bom ? bytes.subarray(3) : bytes;
  const parts: string[] = [];
  try {
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    for (let start = 0; start < body.length; start += DECODE_SLICE_BYTES) {
      parts.push(decoder.decode(body.subarray(start, start + DECODE_SLICE_BYTES), { stream: start + DECODE_SLICE_BYTES < body.length }));
      await yieldToLoop();
    }
    return { text: parts.join(''), encoding: hasUtf8Bom ? 'utf-8 (BOM)' : 'utf-8' };
  } catch {
    parts.length = 0;
    for (let start = 0; start < bytes.length; start += DECODE_SLICE_BYTES) {
      parts.push(decodeWindows1252(bytes.subarray(start, start + DECODE_SLICE_BYTES)));
      await yieldToLoop();
    }
    return { text: parts.join(''), encoding: 'windows-1252' };
  }
}

export function decodeCsv(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(3)), encoding: 'utf-8 (BOM)' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252' };
  }
}
