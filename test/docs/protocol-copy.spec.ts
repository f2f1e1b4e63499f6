import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const shared = join(root, '..', 'shared', 'protocol.md');

describe('docs/protocol.md', () => {
  it('is word for word the shared client contract', () => {
    const ours = readFileSync(join(root, 'docs', 'protocol.md'), 'utf8');
    expect(ours).toMatch(/^# Chat client contract, version 1/);
    // The shared copy sits beside the checkout for developers and CI; elsewhere only our copy is checked.
    if (existsSync(shared)) expect(ours).toBe(readFileSync(shared, 'utf8'));
  });
});
