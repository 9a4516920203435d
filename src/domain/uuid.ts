// UUIDs as the API uses them: contact ids on v2 paths, and `uuid` = the client's `local_id`
// when that is a UUID (templates, lists; gap L4).

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (v: string | undefined): v is string => v !== undefined && UUID.test(v);

/** The record's uuid: the client's local_id as given when it is a UUID, else a new one. */
export const uuidFromLocalId = (localId: string | undefined, fresh: () => string): string => (isUuid(localId) ? localId : fresh());
