/**
 * prom-client's labelled children of one series, made once per pair of label values and kept:
 * looking one up on a hot path is two Map lookups, with no label object or key string built.
 */
export class ChildCache<C> {
  private readonly byFirst = new Map<string, Map<string, C>>();

  constructor(private readonly make: (first: string, second: string) => C) {}

  get(first: string, second: string): C {
    let bySecond = this.byFirst.get(first);
    if (bySecond === undefined) this.byFirst.set(first, (bySecond = new Map<string, C>()));
    let child = bySecond.get(second);
    if (child === undefined) bySecond.set(second, (child = this.make(first, second)));
    return child;
  }
}
