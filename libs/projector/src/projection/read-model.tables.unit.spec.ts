import type { InboxRow, ProjectedRows, TimelineRow } from './read-model.rows';
import { splitRows } from './read-model.tables';

// Only the fields splitRows reads matter here: it serialises whatever rows it is given.
const inbox = (id: string, size: number) => ({ task_id: id, title: 'x'.repeat(size) }) as unknown as InboxRow;
const timeline = (id: string, size: number) => ({ task_id: id, summary: 'y'.repeat(size) }) as unknown as TimelineRow;
const ids = (json: string): string[] => (JSON.parse(json) as { task_id: string }[]).map((row) => row.task_id);

describe('splitRows', () => {
  it('keeps a small batch in one statement', () => {
    const rows: ProjectedRows = { inbox: [inbox('a', 10)], timeline: [timeline('a', 10)], facts: [] };
    const parts = splitRows(rows, 1000);
    expect(parts).toHaveLength(1);
    expect(ids(parts[0].inbox)).toEqual(['a']);
    expect(ids(parts[0].timeline)).toEqual(['a']);
    expect(parts[0].facts).toBe('[]');
  });

  it('cuts large rows into statements under the limit, in order, a row over the limit alone', () => {
    const rows: ProjectedRows = {
      inbox: [inbox('a', 400), inbox('b', 400), inbox('c', 2000), inbox('d', 100)],
      timeline: [timeline('a', 300), timeline('b', 300)],
      facts: [],
    };
    const parts = splitRows(rows, 1000);
    expect(parts.map((part) => [...ids(part.inbox), ...ids(part.timeline)])).toEqual([
      ['a', 'b'],
      ['c'],
      ['d', 'a', 'b'],
    ]);
    for (const part of parts) {
      const size = part.inbox.length + part.timeline.length + part.facts.length;
      if (!part.inbox.includes('"c"')) expect(size).toBeLessThanOrEqual(1000 + 6);
    }
  });
});
