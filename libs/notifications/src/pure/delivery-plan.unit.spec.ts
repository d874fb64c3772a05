import { defaultPreferences, planDelivery, type Preferences, pushOptions, quietUntil, topicOf } from './delivery-plan';

const berlinNights: Preferences = { ...defaultPreferences, timeZone: 'Europe/Berlin', quietHours: { start: '22:00', end: '07:00' } };

describe('quiet hours', () => {
  it('hold back a normal notification until they end in the person’s zone, across midnight', () => {
    // 23:30 Berlin (CET, UTC+1) → held until 07:00 Berlin the next day.
    const late = Date.parse('2026-01-14T22:30:00Z');
    expect(planDelivery('normal', berlinNights, late)).toEqual({ now: [], digest: false, holdUntil: Date.parse('2026-01-15T06:00:00Z') });
    // 05:00 Berlin → held until 07:00 the same day.
    expect(quietUntil(berlinNights, Date.parse('2026-01-15T04:00:00Z'))).toBe(Date.parse('2026-01-15T06:00:00Z'));
    // 12:00 Berlin is outside.
    expect(planDelivery('normal', berlinNights, Date.parse('2026-01-15T11:00:00Z'))).toEqual({ now: ['push'], digest: false, holdUntil: null });
  });

  it('let an urgent notification through at once', () => {
    expect(planDelivery('urgent', berlinNights, Date.parse('2026-01-14T22:30:00Z'))).toEqual({ now: ['push', 'email'], digest: false, holdUntil: null });
  });

  it('end at the wall-clock time on the night the clocks go forward', () => {
    // Berlin 2026-03-29: 02:00 CET becomes 03:00 CEST; 07:00 CEST is 05:00 UTC.
    expect(quietUntil(berlinNights, Date.parse('2026-03-28T23:30:00Z'))).toBe(Date.parse('2026-03-29T05:00:00Z'));
  });

  it('keep low urgency for the digest, which quiet hours do not hold', () => {
    expect(planDelivery('low', berlinNights, Date.parse('2026-01-14T22:30:00Z'))).toEqual({ now: [], digest: true, holdUntil: null });
  });

  it('are none when start equals end or none are set', () => {
    expect(quietUntil({ ...berlinNights, quietHours: { start: '08:00', end: '08:00' } }, 0)).toBeNull();
    expect(quietUntil(defaultPreferences, 0)).toBeNull();
  });
});

describe('push options', () => {
  it('give each task one 32-character topic and urgent news a short life', () => {
    expect(topicOf('0190e0c0-0000-7000-8000-000000000000')).toHaveLength(32);
    expect(pushOptions('urgent')).toEqual({ urgency: 'high', TTL: 3600 });
    expect(pushOptions('low').urgency).toBe('low');
  });
});
