/** A chart's <svg> as a standalone SVG file: its own background, fonts and a title block. Pure DOM in, text out. */
export interface SvgOptions {
  background: string;
  text: string;
  fontFamily: string;
  title: string;
  subtitle: string;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const HEADER = 56;

/**
 * A copy of a chart's <svg> that stands on its own: namespaced, with a background, a title and a
 * subtitle above the chart, and the font named (the page's CSS does not travel with it).
 */
export function standaloneSvg(svg: SVGSVGElement, options: SvgOptions): string {
  const width = Number(svg.getAttribute('width')) || svg.clientWidth || 800;
  const height = Number(svg.getAttribute('height')) || svg.clientHeight || 400;
  const document = svg.ownerDocument;
  // Made in the SVG namespace, so XMLSerializer writes the xmlns itself (setting it too would write it twice).
  const out = document.createElementNS(SVG_NS, 'svg');
  out.setAttribute('width', String(width));
  out.setAttribute('height', String(height + HEADER));
  out.setAttribute('viewBox', `0 0 ${width} ${height + HEADER}`);
  out.setAttribute('font-family', options.fontFamily);

  const background = document.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', options.background);
  out.appendChild(background);

  const line = (text: string, y: number, size: number, weight: string) => {
    const element = document.createElementNS(SVG_NS, 'text');
    element.setAttribute('x', '16');
    element.setAttribute('y', String(y));
    element.setAttribute('font-size', String(size));
    element.setAttribute('font-weight', weight);
    element.setAttribute('fill', options.text);
    element.textContent = text;
    out.appendChild(element);
  };
  line(options.title, 24, 17, 'bold');
  line(options.subtitle, 46, 13, 'normal');

  const chart = document.createElementNS(SVG_NS, 'g');
  chart.setAttribute('transform', `translate(0,${HEADER})`);
  for (const child of Array.from(svg.childNodes)) chart.appendChild(child.cloneNode(true));
  out.appendChild(chart);
  return new XMLSerializer().serializeToString(out);
}

/** Size of the SVG standaloneSvg writes for this chart. */
export function standaloneSize(svg: SVGSVGElement): { width: number; height: number } {
  return {
    width: Number(svg.getAttribute('width')) || svg.clientWidth || 800,
    height: (Number(svg.getAttribute('height')) || svg.clientHeight || 400) + HEADER,
  };
}
