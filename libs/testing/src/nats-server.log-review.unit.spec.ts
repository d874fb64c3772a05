import { describeReview, reviewNatsLog } from './nats-server.log-review';

const line = (clock: string, rest: string) => `[7585] 2026/12/07 ${clock} [DBG] ${rest}`;

describe('reviewing a test nats-server log', () => {
  it('names a handshake that sat between accept and authentication, and a stretch with nothing logged', () => {
    const log = [
      line('06:15:48.962836', '127.0.0.1:52122 - cid:4 - Client connection created'),
      line('06:15:49.030919', '127.0.0.1:52122 - cid:4 - "v3.4.0:nats.js:fast" - Authenticated JWT: Client "U1"'),
      line('06:15:50.000000', '127.0.0.1:52130 - cid:5 - Client connection created'),
      line('06:15:57.500000', '127.0.0.1:52130 - cid:5 - "v3.4.0:nats.js:test-cleanup" - Authenticated JWT: Client "U2"'),
      line('06:16:20.000000', '127.0.0.1:52140 - cid:6 - Client connection created'),
      line('06:16:40.100000', '127.0.0.1:52140 - cid:6 - "v3.4.0:nats.js" - Client connection closed: Client Closed'),
    ].join('\n');
    const review = reviewNatsLog(log);
    expect(review.slowHandshakes).toEqual([
      { cid: '5', name: 'test-cleanup', acceptedAt: '06:15:50.000', ms: 7500 },
      { cid: '6', name: '?', acceptedAt: '06:16:20.000', ms: 20100 },
    ]);
    expect(review.silences.map((s) => [s.from, s.ms])).toEqual([
      ['06:15:50.000', 7500],
      ['06:15:57.500', 22500],
      ['06:16:20.000', 20100],
    ]);
    expect(describeReview(review)).toContain('cid 6 (?) accepted at 06:16:20.000: authenticated or closed after 20100 ms');
  });

  it('names a client the server closed for sending no CONNECT in time, however short the wait', () => {
    const log = [
      line('13:08:26.087913', '127.0.0.1:37610 - cid:528 - Client connection created'),
      line('13:08:28.088891', '127.0.0.1:37610 - cid:528 - Authentication Timeout'),
      line('13:08:28.088935', '127.0.0.1:37610 - cid:528 - Client connection closed: Authentication Timeout'),
    ].join('\n');
    expect(reviewNatsLog(log).slowHandshakes).toEqual([{ cid: '528', name: '?', acceptedAt: '13:08:26.087', ms: 2001 }]);
  });

  it('says nothing of a server that never made anyone wait', () => {
    const log = [
      line('06:15:48.962836', '127.0.0.1:52122 - cid:4 - Client connection created'),
      line('06:15:49.030919', '127.0.0.1:52122 - cid:4 - "v3.4.0:nats.js:probe" - Authenticated JWT: Client "U1"'),
    ].join('\n');
    expect(describeReview(reviewNatsLog(log))).toBe('');
  });
});
