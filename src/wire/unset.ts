// How the wire says "not set" (docs/decisions.md, K12): never `null` where Heymarket's generated
// schema has an integer or a timestamp, so clients generated from it (Kotlin, Swift, serde, Go)
// parse every answer.

/** An unset integer (no assignee, no broadcast, no template, ...): 0, as Go's zero value. */
export const UNSET_INT = 0;

/** An unset timestamp (snooze_till, local_time, ...): Go's zero time, as Heymarket's app API answers it. */
export const UNSET_TIME = '0001-01-01T00:00:00Z';
