/**
 * A text file's bytes as text. Windows PowerShell's `>` writes UTF-16 with a byte order mark, so a result
 * saved there (`trailscope lookup … > out.json`) is read as what it says it is; anything else is UTF-8.
 */

/** The UTF-16 encoding the bytes' byte order mark announces, if they have one. */
export function utf16Encoding(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  return bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : undefined;
}

/** The text of the bytes, UTF-16 as its byte order mark says, else UTF-8 (a UTF-8 byte order mark dropped). */
export function decodeText(bytes: Uint8Array): string {
  return new TextDecoder(utf16Encoding(bytes) ?? 'utf-8').decode(bytes);
}
