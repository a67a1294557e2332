import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { AwsAccount } from '../../../src/sources/aws/accounts';
import { LiveSource } from '../../../src/sources/aws/live-source';
import { startRig, syntheticEvents } from './helpers';

/**
 * A TCP proxy to `target` that can leave connections half-open: it accepts them and never answers, as a
 * dead NAT entry or a stalled load balancer does. Every other connection is passed through.
 */
async function stallingProxy(target: string): Promise<{ url: string; stallNext(count: number): void; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let toStall = 0;
  const track = (socket: Socket): Socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    return socket;
  };
  const server = createServer((client) => {
    track(client);
    if (toStall > 0) {
      toStall--;
      return;
    }
    const upstream = track(connect(Number(port), hostname));
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    stallNext: (count) => (toStall = count),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

test('requests the service never answers time out and are retried: lookups sharing the stalled slots still complete', async () => {
  const rig = await startRig({ events: syntheticEvents(20, ['eu-west-1']) });
  const proxy = await stallingProxy(rig.endpoint.url);
  const account = new AwsAccount({ ...rig.account.options, endpoint: proxy.url, idleTimeoutMs: 300 });
  const source = new LiveSource({ account, regions: ['eu-west-1'] });
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), 8000);
  try {
    await source.accountId();
    // Both of the region's two request slots (2 a second, as AWS allows) go to requests that never return.
    proxy.stallNext(2);
    const lookups = [1, 2, 3].map(() => source.lookupEvents({ attributes: [], filters: [] }, { signal: controller.signal }));
    const results = await Promise.allSettled(lookups);
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value.length : `${(r.reason as Error).name}: ${(r.reason as Error).message}`)),
      [20, 20, 20],
      'every lookup returns its events instead of waiting forever',
    );
  } finally {
    clearTimeout(deadline);
    source.close();
    await proxy.close();
    await rig.close();
  }
});
