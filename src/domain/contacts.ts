// Pure contact rules: no I/O, no HTTP. Stores and routes call these.

/** A contact can carry at most 5 tags (doc: contacts/create, concepts/contacts). */
export const MAX_TAGS = 5;

/** "usually first + last" (doc-old: display_name defaults to first + last on create). */
export function deriveDisplayName(first: string, last: string): string {
  return [first, last].filter(Boolean).join(' ');
}

/**
 * `custom` update semantics (doc: contacts/update): overwrite=false merges the supplied keys into
 * the stored map, overwrite=true replaces the map. In merge mode a null value removes its key.
 */
export function mergeCustom(
  stored: Record<string, string>,
  incoming: Record<string, string | null>,
  overwrite: boolean,
): Record<string, string> {
  const out: Record<string, string> = overwrite ? {} : { ...stored };
  for (const [key, value] of Object.entries(incoming)) {
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out;
}

export const CONTACT_STATUSES = ['active', 'blocked', 'unblocked', 'subscribed', 'unsubscribed'] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];

/**
 * What each status value does to the two flags (doc: contacts/status). `active` means reachable,
 * so it clears both; the others touch one flag. Setting a status a contact already has is a
 * successful no-op (gap C17).
 */
export function statusEffect(status: ContactStatus): { unsubscribed?: boolean; blocked?: boolean } {
  switch (status) {
    case 'active':
      return { unsubscribed: false, blocked: false };
    case 'blocked':
      return { blocked: true };
    case 'unblocked':
      return { blocked: false };
    case 'subscribed':
      return { unsubscribed: false };
    case 'unsubscribed':
      return { unsubscribed: true };
  }
}

/** Infers a channel type from its value, as v2 search does (doc): '@' → email, digits → phone. */
export function inferChannelType(value: string): 'email' | 'phone' | undefined {
  if (value.includes('@')) return 'email';
  if (/^\+?[0-9]{6,15}$/.test(value)) return 'phone';
  return undefined;
}
