/**
 * What an agent reads of a received mail: the new text, without the quoted history of the thread and the
 * sender's signature (the full original is kept beside it). Conservative: it cuts only at markers mail
 * clients write, and never leaves nothing.
 */
const HISTORY_MARKERS: RegExp[] = [
  // Gmail, Apple Mail, Thunderbird: "On Tue, 3 Dec 2026 at 10:00, Ann <ann@x.org> wrote:" (may wrap once)
  /^On\b[^\n]{0,200}(\n[^\n]{0,200})?\bwrote:\s*$/m,
  // German, French, Spanish, Dutch, Swedish clients
  /^Am\b[^\n]{0,200}(\n[^\n]{0,200})?\bschrieb[^\n]{0,80}:\s*$/m,
  /^Le\b[^\n]{0,200}(\n[^\n]{0,200})?\ba écrit\s*:\s*$/m,
  /^El\b[^\n]{0,200}(\n[^\n]{0,200})?\bescribió:\s*$/m,
  /^Op\b[^\n]{0,200}(\n[^\n]{0,200})?\bschreef[^\n]{0,80}:\s*$/m,
  /^Den\b[^\n]{0,200}(\n[^\n]{0,200})?\bskrev[^\n]{0,80}:\s*$/m,
  // Outlook
  /^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original)\s*-{2,}\s*$/im,
  /^_{10,}\s*\n\s*(From|Von|De):\s/m,
  /^(From|Von|De):\s[^\n]+\n(Sent|Gesendet|Envoyé|Enviado|Date|Datum):\s/m,
  // Our own reply marker, when a client keeps it
  /^-{2,} Reply above this line -{2,}\s*$/m,
];

/** "-- " on its own line (RFC 3676), and the phone clients' one-liners. */
const SIGNATURE_MARKERS: RegExp[] = [
  /^-- ?$/m,
  /^(Sent from my (iPhone|iPad|Android|mobile)|Von meinem iPhone gesendet|Get Outlook for (iOS|Android))[^\n]*$/im,
];

function cutAt(text: string, markers: RegExp[]): string {
  let end = text.length;
  for (const marker of markers) {
    const found = marker.exec(text);
    if (found && found.index < end) end = found.index;
  }
  return text.slice(0, end);
}

/** Trailing lines quoted with ">" (and the blank lines among them). */
function dropTrailingQuote(text: string): string {
  const lines = text.split('\n');
  let end = lines.length;
  while (end > 0 && (lines[end - 1]!.trim() === '' || lines[end - 1]!.startsWith('>'))) end--;
  const quoted = lines.slice(end).some((l) => l.startsWith('>'));
  return quoted ? lines.slice(0, end).join('\n') : text;
}

export function visibleText(text: string): { visible: string; trimmed: boolean } {
  const normalized = text.replace(/\r\n/g, '\n');
  const cut = dropTrailingQuote(cutAt(cutAt(normalized, HISTORY_MARKERS), SIGNATURE_MARKERS)).trim();
  // A mail that is all quote (a forward with no words of its own) is shown whole.
  if (cut === '') return { visible: normalized.trim(), trimmed: false };
  return { visible: cut, trimmed: cut !== normalized.trim() };
}
