import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

interface LintView {
  file: string;
  ignored: boolean;
  typeAware: boolean;
  floatingPromises: number | null;
  noUndef: number | null;
}

// Asked in a child process: eslint.config.mjs is an ES module, which Jest's module system does not load.
const probe = `
import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
const eslint = new ESLint({ cwd: process.cwd() });
const severity = (rule) => (rule === undefined ? null : Array.isArray(rule) ? rule[0] : rule);
const out = [];
for (const file of JSON.parse(readFileSync(0, 'utf8'))) {
  const config = await eslint.calculateConfigForFile(file);
  const parserOptions = config?.languageOptions?.parserOptions ?? {};
  out.push({
    file,
    ignored: await eslint.isPathIgnored(file),
    typeAware: Boolean(parserOptions.projectService || parserOptions.project),
    floatingPromises: severity(config?.rules?.['@typescript-eslint/no-floating-promises']),
    noUndef: severity(config?.rules?.['no-undef']),
  });
}
process.stdout.write(JSON.stringify(out));
`;

describe('npm run lint', () => {
  const files = execFileSync(
    'git',
    ['ls-files', '*.ts', '*.mts', '*.cts', '*.tsx', '*.js', '*.mjs', '*.cjs', '*.jsx'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  )
    .split('\n')
    .filter(Boolean);
  const views: LintView[] = JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', probe], {
      cwd: root,
      input: JSON.stringify(files),
      encoding: 'utf8',
    }),
  );
  const scripts = views.filter((v) => /\.[cm]?js$/.test(v.file));

  it('sees the JavaScript as well as the TypeScript', () => {
    expect(scripts.map((v) => v.file)).toEqual(
      expect.arrayContaining(['eslint.config.mjs', 'jest.config.js', 'scripts/lib/prepare.cjs', 'scripts/stack.mjs']),
    );
    expect(views.length - scripts.length).toBeGreaterThan(300);
  });

  it('lints every code file of the repo, with type information and the promise rules as errors', () => {
    const missed = views.filter((v) => v.ignored || !v.typeAware || v.floatingPromises !== 2).map((v) => v.file);
    expect(missed).toEqual([]);
  });

  it("checks the JavaScript's names against the globals of its runtime", () => {
    // TypeScript resolves names itself; untyped JavaScript relies on no-undef for that.
    expect(scripts.filter((v) => v.noUndef !== 2).map((v) => v.file)).toEqual([]);
  });
});
