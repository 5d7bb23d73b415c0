/** A binary min-heap on `at`: the repeat contacts waiting for their moment, earliest first. */
export type Timed = { at: number };

export function createHeap<T extends Timed>() {
  const items: T[] = [];
  const swap = (i: number, j: number) => {
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  };
  const at = (i: number) => (items[i] as T).at;
  return {
    get size() {
      return items.length;
    },
    peek: (): T | undefined => items[0],
    push(item: T): void {
      items.push(item);
      let i = items.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (at(parent) <= at(i)) break;
        swap(i, parent);
        i = parent;
      }
    },
    pop(): T | undefined {
      const top = items[0];
      const last = items.pop();
      if (items.length > 0 && last) {
        items[0] = last;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let min = i;
          if (l < items.length && at(l) < at(min)) min = l;
          if (r < items.length && at(r) < at(min)) min = r;
          if (min === i) break;
          swap(i, min);
          i = min;
        }
      }
      return top;
    },
  };
}
