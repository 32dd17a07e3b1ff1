import type { Messages } from './messages/en';

/**
 * The pseudo-locale "en-XA": every English message accented and about 40 % longer, in brackets
 * ("Save Changes" → "[Šåṽé Çĥåñĝéš ~~]"), so a layout test sees text that is not English,
 * not clipped and not hard-coded. Placeholders ({name}), plural bars and linked keys stay as they are.
 */
const ACCENTED: Readonly<Record<string, string>> = Object.fromEntries(
  [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((letter, index) => [letter, [...'åƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ'][index]!]),
);

function pseudoText(text: string): string {
  // Keep {placeholders} and @:linked.keys; accent the rest.
  const accented = text.replace(/(\{[^}]*\}|@:[\w.]+)|([A-Za-z])/g, (match, kept: string | undefined) => (kept ? match : (ACCENTED[match] ?? match)));
  const visible = text.replace(/\{[^}]*\}/g, '').length;
  return `[${accented} ${'~'.repeat(Math.max(1, Math.round(visible * 0.4) - 3))}]`;
}

function pseudoMessage(message: string): string {
  return message
    .split(' | ')
    .map((form) => pseudoText(form))
    .join(' | ');
}

type Tree = { [key: string]: string | Tree };
function mapTree(tree: Tree): Tree {
  return Object.fromEntries(Object.entries(tree).map(([key, value]) => [key, typeof value === 'string' ? pseudoMessage(value) : mapTree(value)]));
}

export function pseudoMessages(english: Messages): Messages {
  return mapTree(english as unknown as Tree) as unknown as Messages;
}
