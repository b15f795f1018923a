import { describe, expect, it } from 'vitest';
import { BrokerTriggers, type BrokerTriggersDeps } from './broker-triggers';

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('BrokerTriggers.close', () => {
  it('leaves no timer behind once its consumers have stopped', async () => {
    const before = timers();
    // Nothing started: close touches none of its dependencies.
    await new BrokerTriggers({} as BrokerTriggersDeps).close();
    // Its 3 s bound on stopping consumers used to stay armed: a CLI command whose runtime had
    // closed everything still took 3 s to exit.
    expect(timers()).toBe(before);
  });
});
