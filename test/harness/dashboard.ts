import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Grafana dashboard of the observability profile, relative to the repository's root. */
export const DASHBOARD_PATH = 'deploy/observability/grafana/dashboards/chat-overview.json';

export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: Array<{ refId: string; expr: string; datasource?: { type: string; uid: string } }>;
  panels?: DashboardPanel[];
}

export interface DashboardQuery {
  panel: string;
  expr: string;
}

export function readDashboard(root: string): { uid: string; title: string; panels: DashboardPanel[] } {
  return JSON.parse(readFileSync(join(root, DASHBOARD_PATH), 'utf8')) as {
    uid: string;
    title: string;
    panels: DashboardPanel[];
  };
}

/** Every panel, rows' nested ones included. */
export function allPanels(panels: DashboardPanel[]): DashboardPanel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
}

/** Every query of the dashboard, with the title of its panel. */
export function dashboardQueries(root: string): DashboardQuery[] {
  return allPanels(readDashboard(root).panels).flatMap((p) =>
    (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })),
  );
}

/** The query as Prometheus runs it: Grafana's interval variables replaced by a fixed window. */
export function concreteQuery(expr: string, window: string): string {
  return expr.replace(/\$__(rate_interval|interval|range)\b/g, window);
}

const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
]);

/**
 * The series names a PromQL expression reads: identifiers that are neither functions, keywords, label
 * names in matchers or groupings, nor durations. Enough for the dashboard's own queries, not a parser.
 */
export function seriesNames(expr: string): string[] {
  const bare = concreteQuery(expr, '1m')
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ');
  const names: string[] = [];
  for (const m of bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const isCall = bare
      .slice(m.index + m[0].length)
      .trimStart()
      .startsWith('(');
    if (!isCall && !KEYWORDS.has(m[0])) names.push(m[0]);
  }
  return [...new Set(names)];
}
