import { forgetApplication, subscribeClientCache } from './client-cache';
import { InProcessInvalidationBus, LocalHandlers } from './invalidation-bus';

const quiet = { warn: () => undefined };

const answers = () =>
  new Map<string, { applicationId?: string | null }>([
    ['app-1', { applicationId: 'app-1' }],
    ['school-client-of-app-1', { applicationId: 'app-1' }],
    ['school-client-of-app-2', { applicationId: 'app-2' }],
    ['unknown-client', { applicationId: null }],
    ['still-reading', {}],
  ]);

describe('forgetApplication', () => {
  it('drops the application’s own answer, its clients’ and those still being read, and no other', () => {
    const cache = answers();
    forgetApplication(cache, 'app-1');
    expect([...cache.keys()]).toEqual([
      'school-client-of-app-2',
      'unknown-client',
    ]);
  });
});

describe('subscribeClientCache', () => {
  it('drops what each message names, and nothing once unsubscribed', async () => {
    const bus = new InProcessInvalidationBus(quiet);
    const cache = answers();
    const stop = subscribeClientCache(bus, cache);
    await bus.publish('client', 'unknown-client');
    expect(cache.has('unknown-client')).toBe(false);
    expect(cache.size).toBe(4);
    await bus.publish('application', 'app-2');
    expect([...cache.keys()]).toEqual(['app-1', 'school-client-of-app-1']);
    stop();
    await bus.publish('application', 'app-1');
    expect(cache.size).toBe(2);
  });

  it('drops everything when the bus says anything may have changed', () => {
    // What a reconnected bus tells its handlers.
    const local = new LocalHandlers(quiet);
    const cache = answers();
    subscribeClientCache(
      {
        publish: async () => undefined,
        subscribe: (topic, handler) => local.add(topic, handler),
        close: async () => undefined,
      },
      cache,
    );
    local.deliverAll();
    expect(cache.size).toBe(0);
  });
});
