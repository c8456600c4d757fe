/** A tiny helper for hand-written SVG: an element, its attributes, its children. */
const NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  ...children: Array<Node | string>
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  el.append(...children);
  return el;
}

/** Round step for about `count` ticks over `span` (1, 2 or 5 × a power of ten). */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
}

/** Amber diagonal stripes, the fill of a close still in progress: `url(#id)`. */
export function stripes(id: string): SVGDefsElement {
  const pattern = svg(
    'pattern',
    { id, width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
    svg('rect', { width: 6, height: 6, class: 'stripe-bg' }),
    svg('rect', { width: 3, height: 6, class: 'stripe-fg' }),
  );
  return svg('defs', {}, pattern);
}
