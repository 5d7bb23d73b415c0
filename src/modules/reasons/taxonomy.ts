/**
 * The contact-reason tree as pure functions over the rows of one workspace (a taxonomy is a few hundred
 * reasons at most; it is read whole). A reason with children is a group. Names of siblings are unique
 * (case-insensitive), so a path of names names one reason.
 */
export const MAX_DEPTH = 4;
export const PATH_SEPARATOR = ' > ';

export type TreeNode = { id: number; name: string; parentId: number | null };

/** Names may not contain `>`: it separates the levels of a path. */
export const nameProblem = (name: string): string | null =>
  name.trim().length === 0
    ? 'a name may not be empty'
    : name.length > 80
      ? 'a name has at most 80 characters'
      : name.includes('>')
        ? 'a name may not contain ">" (it separates the levels of a path)'
        : null;

export function byId<T extends TreeNode>(nodes: readonly T[]): Map<number, T> {
  return new Map(nodes.map((n) => [n.id, n]));
}

/** The names from the root down to the node. */
export function pathOf<T extends TreeNode>(index: Map<number, T>, id: number): string[] {
  const names: string[] = [];
  const seen = new Set<number>();
  for (let node = index.get(id); node; node = node.parentId === null ? undefined : index.get(node.parentId)) {
    if (seen.has(node.id)) throw new Error(`contact reason ${id}: its ancestors form a cycle`);
    seen.add(node.id);
    names.unshift(node.name);
  }
  return names;
}

/** Levels below the node, itself not counted: 0 for a leaf. */
export function heightOf(nodes: readonly TreeNode[], id: number): number {
  const children = nodes.filter((n) => n.parentId === id);
  return children.length === 0 ? 0 : 1 + Math.max(...children.map((c) => heightOf(nodes, c.id)));
}

/**
 * Why `id` may not move under `parentId` (null: it may). A reason can't become its own ancestor, and the
 * tree stays at most MAX_DEPTH levels deep.
 */
export function moveProblem(
  nodes: readonly TreeNode[],
  id: number | null,
  parentId: number | null,
): string | null {
  if (parentId === null) return null;
  const index = byId(nodes);
  if (!index.has(parentId)) return 'the parent is not a contact reason of this workspace';
  if (id !== null) {
    for (let p: number | null = parentId; p !== null; p = index.get(p)?.parentId ?? null) {
      if (p === id) return 'a reason cannot be placed under itself or one of its own sub-reasons';
    }
  }
  const depth = pathOf(index, parentId).length + 1 + (id === null ? 0 : heightOf(nodes, id));
  return depth > MAX_DEPTH ? `the taxonomy has at most ${MAX_DEPTH} levels` : null;
}

export const pathKey = (names: readonly string[]) => names.map((n) => n.toLowerCase()).join('\u0000');
export const splitPath = (path: string) => path.split('>').map((s) => s.trim());
export const joinPath = (names: readonly string[]) => names.join(PATH_SEPARATOR);
