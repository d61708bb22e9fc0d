/**
 * `--folder` runs only part of a collection. References outside the selected folders are
 * never sent, so they must not fail `--fail-on-unresolved`. This keeps the selected
 * folders or requests (matched by name or id, as postman-runtime's entrypoint lookup
 * does) with their ancestors' auth, scripts and variables, and drops the rest.
 */

interface ItemNode {
  id?: unknown;
  name?: unknown;
  item?: unknown;
  [key: string]: unknown;
}

export function selectFolders(collection: Record<string, unknown>, folders: readonly string[]): Record<string, unknown> {
  if (folders.length === 0) return collection;
  const wanted = new Set(folders);
  const prune = (node: ItemNode): ItemNode | undefined => {
    if (matches(node, wanted)) return node;
    if (!Array.isArray(node.item)) return undefined;
    const kept = node.item.map((child: ItemNode) => prune(child)).filter((child): child is ItemNode => child !== undefined);
    return kept.length > 0 ? { ...node, item: kept } : undefined;
  };
  const items = Array.isArray(collection['item']) ? (collection['item'] as ItemNode[]) : [];
  return { ...collection, item: items.map(prune).filter((item): item is ItemNode => item !== undefined) };
}

function matches(node: ItemNode, wanted: ReadonlySet<string>): boolean {
  return (typeof node.id === 'string' && wanted.has(node.id)) || (typeof node.name === 'string' && wanted.has(node.name));
}
