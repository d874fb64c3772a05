import ICAL from 'ical.js';
import { calendarText } from './calendar';

describe('an on-call calendar', () => {
  it('is RFC 5545 text a calendar library reads back: CRLF, folded long lines, escaped text, UTC times', () => {
    const start = Date.parse('2026-03-08T07:00:00Z');
    const text = calendarText(
      'Support, nights; ünïcode',
      [
        {
          uid: 'a@taskinbox',
          start,
          end: start + 3600_000,
          summary: 'Ann on call; support, nights',
          description: 'line one\nline two',
        },
        { uid: 'b@taskinbox', start: start + 3600_000, end: start + 7200_000, summary: 'Bø'.repeat(60) },
      ],
      start,
    );
    expect(text.endsWith('\r\n')).toBe(true);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);

    const calendar = new ICAL.Component(ICAL.parse(text));
    // An X- property has no declared type, so readers keep its escapes as they are.
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Support\\, nights\\; ünïcode');
    const events = calendar.getAllSubcomponents('vevent').map((component) => new ICAL.Event(component));
    expect(events.map((event) => event.summary)).toEqual(['Ann on call; support, nights', 'Bø'.repeat(60)]);
    expect(events[0].description).toBe('line one\nline two');
    expect(events[0].startDate.toJSDate().getTime()).toBe(start);
    expect(events[1].endDate.toJSDate().getTime()).toBe(start + 7200_000);
    expect(events[0].uid).toBe('a@taskinbox');
  });
});
