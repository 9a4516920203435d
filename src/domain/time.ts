/** Epoch milliseconds → UTC RFC 3339 with milliseconds and Z (gap G9). */
export const toIso = (ms: number): string => new Date(ms).toISOString();
