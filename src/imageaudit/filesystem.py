"""The merged (final) filesystem of an image, built layer by layer with overlay semantics.

Only metadata is kept per path. Whiteouts (``.wh.name``) and opaque markers
(``.wh..wh..opq``) hide entries of *lower* layers only, as in Docker's overlay driver; a
regular file that is hidden or replaced counts as wasted bytes, so that
``sum(layer sizes) == final size + wasted`` holds for every image.

Symlinks are measured as their target's length, kept apart from file bytes: Docker counts
them only in layers it unpacked from a tar (``Filesystem.unpacked``, set once the layers are
known), not in layers BuildKit built on the engine. See ``analysis.unpacked_layers``.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator

FILE, DIR, SYMLINK, HARDLINK, OTHER = "f", "d", "l", "h", "o"
MAX_DEPTH = 512
_MAX_HOPS = 40
WASTED_EXAMPLES = 10


class Node:
    """Metadata of one path. ``text`` holds a capped copy of small files the analysis parses."""

    __slots__ = ("kind", "size", "layer", "born", "mode", "link", "debug", "secret", "text")

    def __init__(self, kind: str, size: int, layer: int, mode: int = 0) -> None:
        self.kind = kind
        self.size = size
        self.layer = layer  # the layer of the version that is visible
        self.born = layer  # the layer that first added the path (rewrites keep it)
        self.mode = mode
        self.link: str = ""
        self.debug = 0  # bytes in ELF .debug_* sections
        self.secret: str | None = None
        self.text: bytes | None = None


def link_size(node: Node) -> int:
    """A symlink's size on disk (``lstat``): the length of its target in bytes."""
    return len(node.link.encode("utf-8", "surrogateescape")) if node.kind == SYMLINK else 0


class Filesystem:
    """Paths are stored without a leading slash; the root is ``""``."""

    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {"": Node(DIR, 0, -1)}
        self.children: dict[str, set[str]] = {"": set()}
        self.layer = -1
        # Layers whose symlinks count (Docker unpacked them from a tar); None: all layers.
        self.unpacked: frozenset[int] | None = None
        # Bytes hidden by later layers, per layer: regular files and symlink targets.
        self.wasted_files: dict[int, int] = {}
        self.wasted_links: dict[int, int] = {}
        # Bytes of entries replaced later in the same layer: a layer holds their last
        # version only, so these count neither as layer size nor as waste.
        self.replaced = 0
        self.replaced_links = 0
        self._wasted_top: list[tuple[int, str, int]] = []
        self._wasted_top_links: list[tuple[int, str, int]] = []

    # -- building -------------------------------------------------------------------------
    def begin_layer(self, index: int) -> None:
        self.layer = index
        self.replaced = 0
        self.replaced_links = 0

    def add(self, path: str, node: Node) -> None:
        parent, _, _base = path.rpartition("/")
        pnode = self.nodes.get(parent)
        if pnode is None or pnode.kind != DIR:
            real = self._ensure_dir(parent)
            if real != parent:
                path = f"{real}/{_base}" if real else _base
                parent = real
        nodes = self.nodes
        old = nodes.get(path)
        if old is not None:
            if old.kind == DIR and node.kind == DIR:
                old.layer, old.mode = node.layer, node.mode
                return
            node.born = min(node.born, old.born)
            self._hide(path, lower_only=False)
        nodes[path] = node
        self.children[parent].add(path)
        if node.kind == DIR:
            self.children[path] = set()

    def whiteout(self, path: str) -> None:
        if path in self.nodes:
            self._hide(path, lower_only=True)

    def opaque(self, dirpath: str) -> None:
        for child in list(self.children.get(dirpath, ())):
            self._hide(child, lower_only=True)

    def _ensure_dir(self, path: str) -> str:
        """Return the real directory for ``path``, following symlinks or creating it."""
        if path == "":
            return ""
        node = self.nodes.get(path)
        if node is not None and node.kind == DIR:
            return path
        if node is not None and node.kind == SYMLINK:
            target = self.resolve(path)
            if target is not None:
                tnode = self.nodes.get(target)
                if tnode is not None and tnode.kind == DIR:
                    return target
        if path.count("/") > MAX_DEPTH:
            raise ValueError("path nesting too deep")
        parent, _, base = path.rpartition("/")
        real_parent = self._ensure_dir(parent)
        real = f"{real_parent}/{base}" if real_parent else base
        if real in self.nodes:
            if self.nodes[real].kind == DIR:
                return real
            self._hide(real, lower_only=False)
        self.nodes[real] = Node(DIR, 0, self.layer)
        self.children[real_parent].add(real)
        self.children[real] = set()
        return real

    def _hide(self, root: str, lower_only: bool) -> None:
        order: list[str] = []
        stack = [root]
        while stack:
            path = stack.pop()
            order.append(path)
            kids = self.children.get(path)
            if kids:
                stack.extend(kids)
        for path in reversed(order):  # children before their parents
            node = self.nodes[path]
            if lower_only and node.layer == self.layer:
                continue
            if node.kind == DIR and self.children.get(path):
                continue  # still holds entries of this layer
            del self.nodes[path]
            self.children[path.rpartition("/")[0]].discard(path)
            self.children.pop(path, None)
            if node.kind == FILE and node.size:
                if node.layer == self.layer:
                    self.replaced += node.size
                else:
                    _waste(self.wasted_files, self._wasted_top, path, node, node.size)
            elif node.kind == SYMLINK and node.link:
                size = link_size(node)
                if node.layer == self.layer:
                    self.replaced_links += size
                else:
                    _waste(self.wasted_links, self._wasted_top_links, path, node, size)

    # -- queries --------------------------------------------------------------------------
    def counts_links(self, layer: int) -> bool:
        return self.unpacked is None or layer in self.unpacked

    def counted_size(self, node: Node) -> int:
        """Bytes Docker counts for a path: a file's size; a symlink's target length in an
        unpacked layer, nothing in a built one."""
        if node.kind == FILE:
            return node.size
        if node.kind == SYMLINK and self.counts_links(node.layer):
            return link_size(node)
        return 0

    def layer_wasted(self, layer: int) -> int:
        """Bytes of ``layer`` that later layers hide or replace."""
        links = self.wasted_links.get(layer, 0) if self.counts_links(layer) else 0
        return self.wasted_files.get(layer, 0) + links

    @property
    def wasted(self) -> int:
        layers = self.wasted_files.keys() | self.wasted_links.keys()
        return sum(self.layer_wasted(layer) for layer in layers)

    def wasted_examples(self) -> list[tuple[int, str, int]]:
        links = [item for item in self._wasted_top_links if self.counts_links(item[2])]
        return sorted([*self._wasted_top, *links], reverse=True)[:WASTED_EXAMPLES]

    def files(self) -> Iterator[tuple[str, Node]]:
        for path, node in self.nodes.items():
            if node.kind == FILE:
                yield path, node

    def total_size(self) -> int:
        """Bytes of the merged filesystem as Docker counts them."""
        return sum(self.counted_size(node) for node in self.nodes.values())

    def resolve(self, path: str) -> str | None:
        """Resolve symlinks inside the image root; ``..`` never climbs above the root."""
        pending = [p for p in reversed(path.split("/")) if p]
        stack: list[str] = []
        hops = 0
        while pending:
            comp = pending.pop()
            if comp == ".":
                continue
            if comp == "..":
                if stack:
                    stack.pop()
                continue
            current = "/".join([*stack, comp])
            node = self.nodes.get(current)
            if node is not None and node.kind == SYMLINK:
                hops += 1
                if hops > _MAX_HOPS:
                    return None
                if node.link.startswith("/"):
                    stack = []
                pending.extend(p for p in reversed(node.link.split("/")) if p)
                continue
            stack.append(comp)
        return "/".join(stack)

    def lookup(self, path: str) -> tuple[str, Node] | None:
        """Find a path, following symlinked directories (e.g. ``/lib`` -> ``/usr/lib``)."""
        node = self.nodes.get(path)
        if node is not None:
            return path, node
        real = self.resolve(path)
        if real is None:
            return None
        node = self.nodes.get(real)
        return (real, node) if node is not None else None

    def subtree_size(self, root: str) -> int:
        total = 0
        stack = [root]
        while stack:
            path = stack.pop()
            node = self.nodes.get(path)
            if node is None:
                continue
            if node.kind == FILE:
                total += node.size
            kids = self.children.get(path)
            if kids:
                stack.extend(kids)
        return total

    def subtree_files(self, root: str) -> Iterator[str]:
        stack = [root]
        while stack:
            path = stack.pop()
            node = self.nodes.get(path)
            if node is None:
                continue
            if node.kind != DIR:
                yield path
            kids = self.children.get(path)
            if kids:
                stack.extend(kids)


def _waste(
    by_layer: dict[int, int], top: list[tuple[int, str, int]], path: str, node: Node, size: int
) -> None:
    by_layer[node.layer] = by_layer.get(node.layer, 0) + size
    item = (size, path, node.layer)
    if len(top) < WASTED_EXAMPLES:
        heapq.heappush(top, item)
    elif item > top[0]:
        heapq.heapreplace(top, item)
