// Positions are '<major>:<minor>' with both parts zero-padded to 20 digits, so comparing the
// strings compares the pairs: PostgreSQL uses (tx_id, global_position), EventStoreDB (commit, prepare).

const pattern = /^(\d{1,20}):(\d{1,20})$/;

export function formatPosition(major: bigint, minor: bigint): string {
  return `${major.toString().padStart(20, '0')}:${minor.toString().padStart(20, '0')}`;
}

export function parsePosition(position: string): [bigint, bigint] {
  const match = pattern.exec(position);
  if (!match) throw new RangeError(`Not an event store position: '${position}'.`);
  return [BigInt(match[1]), BigInt(match[2])];
}
