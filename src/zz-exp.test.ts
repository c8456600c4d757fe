import { it } from 'vitest';
import { backoffDelay } from './backoff';
it('x', () => {
  console.log('NAN?', backoffDelay(1100, { minReconnectDelay: 0, maxReconnectDelay: 30000, reconnectDelayFactor: 2, jitter: 'none' }), backoffDelay(1100, { minReconnectDelay: 0, maxReconnectDelay: 30000, reconnectDelayFactor: 2, jitter: 'full' }), backoffDelay(320, { minReconnectDelay: 0, maxReconnectDelay: 30000, reconnectDelayFactor: 10, jitter: 'none' }));
});
