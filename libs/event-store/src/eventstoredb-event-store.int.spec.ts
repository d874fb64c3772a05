import { describeEventStoreContract } from './event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

// Runs only against a real server, e.g. EVENTSTORE_URL='esdb://localhost:2113?tls=false'.
const url = process.env.EVENTSTORE_URL;

if (url) {
  describeEventStoreContract('EventStoreDB', async () => {
    const store = new EventStoreDbEventStore(url);
    return { store, cleanup: () => store.close() };
  });
} else {
  it('needs EVENTSTORE_URL to run against EventStoreDB', () => expect(process.env.EVENTSTORE_URL).toBeUndefined());
}
