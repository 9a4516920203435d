/**
 * Opt-out and opt-in keywords of an inbound text (control-plane spec, Simulating the customer):
 * the whole trimmed text, case-insensitive.
 */
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']);
const OPT_IN = new Set(['START', 'YES', 'UNSTOP']);

export function optKeyword(text: string): 'opt_out' | 'opt_in' | null {
  const word = text.trim().toUpperCase();
  if (OPT_OUT.has(word)) return 'opt_out';
  if (OPT_IN.has(word)) return 'opt_in';
  return null;
}
