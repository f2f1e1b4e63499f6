import type { StartedInfra } from './infra';

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as Record<string, unknown>).__CHAT_INFRA__ as StartedInfra | undefined;
  await started?.stop();
}
