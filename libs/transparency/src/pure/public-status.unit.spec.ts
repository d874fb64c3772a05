import { publicFields, publicStatus, publicTimeline } from './public-status';

describe('what an end user reads', () => {
  it('says the status in their words', () => {
    expect(['pending', 'processing', 'completed', 'cancelled'].map((status) => publicStatus(status, false))).toEqual([
      'received',
      'in_progress',
      'done',
      'cancelled',
    ]);
    expect(publicStatus('waiting', true)).toBe('waiting_for_you');
    expect(publicStatus('waiting', false)).toBe('on_hold');
  });

  it('shows only the public moments, never comments, updates or info from the team', () => {
    // given a history with a release, a re-claim, a comment, an assignment and info from a service
    const history = [
      ['TaskCreated', 'service'],
      ['TaskClaimed', 'user'],
      ['TaskCommented', 'user'],
      ['TaskReleased', 'user'],
      ['TaskClaimed', 'user'],
      ['TaskAssigned', 'user'],
      ['TaskInfoPosted', 'service'],
      ['TaskEndUserAsked', 'user'],
      ['TaskInfoPosted', 'end_user'],
      ['TaskEndUserAnswered', 'end_user'],
      ['TaskCompleted', 'user'],
    ].map(([eventType, actorKind], minute) => ({ eventType, actorKind, at: `2026-12-07T10:${String(minute).padStart(2, '0')}:00.000Z` }));

    // then
    expect(publicTimeline(history)).toEqual([
      { at: '2026-12-07T10:00:00.000Z', label: 'Received' },
      { at: '2026-12-07T10:01:00.000Z', label: 'Being worked on' },
      { at: '2026-12-07T10:07:00.000Z', label: 'We asked you for something' },
      { at: '2026-12-07T10:08:00.000Z', label: 'You answered' },
      { at: '2026-12-07T10:10:00.000Z', label: 'Done' },
    ]);
  });

  it('shows the fields the type marks public, labelled by its layout, as text', () => {
    const payload = { amount: 25, order: { id: 'A/1' }, email: 'private@example.com', note: '<b>hi</b>', empty: null };
    expect(publicFields(payload, ['/amount', '/order/id', '/note', '/empty', '/missing'], [{ field: '/amount', label: 'Amount' }])).toEqual([
      { label: 'Amount', value: '25' },
      { label: 'id', value: 'A/1' },
      { label: 'note', value: '<b>hi</b>' },
    ]);
  });
});
