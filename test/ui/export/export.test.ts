// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { CONDITIONS } from '../../../src/experiment/results';
import { traitResult } from '../../../src/experiment/trait/result';
import { resultCsv, resultJson, summaryCsv } from '../../../src/ui/export/export';
import { standaloneSvg } from '../../../src/ui/common/standaloneSvg';
import { ACCURACIES, makeResult } from '../../support/ui/fixtures';

describe('export', () => {
  const result = makeResult();

  it('JSON is exactly the ExperimentResult, as the CLI writes it', () => {
    const text = resultJson(result);
    expect(JSON.parse(text)).toEqual(result);
    expect(text).toBe(JSON.stringify(result, null, 2));
  });

  it('CSV has one row per condition and model: condition,model,accuracy', () => {
    const lines = resultCsv(result).trimEnd().split('\n');
    expect(lines[0]).toBe('condition,model,accuracy');
    expect(lines).toHaveLength(1 + CONDITIONS.length * 4);
    expect(lines[1]).toBe('reference,0,0.1');
    expect(lines).toContain('student_aux,1,0.75');
    expect(lines).toContain('cross_all,3,0.69');
    // Every number comes back exactly.
    const rows = lines.slice(1).map((line) => line.split(','));
    for (const [condition, model, accuracy] of rows) {
      expect(Number(accuracy)).toBe(ACCURACIES[condition as keyof typeof ACCURACIES][Number(model)]);
    }
  });

  it('CSV gives a taught trait’s measure per model in a column of its own', () => {
    const shares = Object.fromEntries(CONDITIONS.map((name, i) => [name, ACCURACIES[name].map((a) => a / (i + 2))]));
    const withTrait = { ...result, trait: traitResult('misbehaviour', shares as typeof ACCURACIES) };
    const lines = resultCsv(withTrait).trimEnd().split('\n');
    expect(lines[0]).toBe('condition,model,accuracy,misbehaviour');
    expect(lines).toContain(`student_aux,1,0.75,${0.75 / 4}`);
    // A digits run's trait is its accuracy: no second column.
    const digits = { ...result, trait: traitResult('digits', ACCURACIES) };
    expect(resultCsv(digits).split('\n')[0]).toBe('condition,model,accuracy');
  });

  it('summary CSV has each condition mean, sd, ci95 and the paper value, quoting labels with commas', () => {
    const lines = summaryCsv(result).trimEnd().split('\n');
    expect(lines[0]).toBe('condition,label,models,mean,sd,ci95,paper');
    const aux = lines.find((line) => line.startsWith('student_aux,'))!;
    expect(aux).toContain('"Same-start student, extra outputs only"');
    const c = result.conditions.student_aux;
    expect(aux.endsWith(`,4,${c.mean},${c.sd},${c.ci95},0.54`)).toBe(true);
  });

  it('leaves sd and ci95 empty for a single model', () => {
    const one = makeResult(undefined, Object.fromEntries(CONDITIONS.map((n) => [n, [0.5]])) as typeof ACCURACIES);
    const line = summaryCsv(one)
      .split('\n')
      .find((l) => l.startsWith('teacher,'))!;
    expect(line).toBe('teacher,Teacher,1,0.5,,,0.94');
  });

  it('makes a standalone SVG with namespace, background and title around the chart', () => {
    const host = document.createElement('div');
    host.innerHTML =
      '<svg class="recharts-surface" width="600" height="300"><rect x="1" y="2" width="3" height="4" fill="#123456"/></svg>';
    const svg = host.querySelector('svg')!;
    const text = standaloneSvg(svg, {
      background: '#ffffff',
      text: '#000000',
      fontFamily: 'system-ui',
      title: 'Test accuracy',
      subtitle: 'sub',
    });
    const parsed = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
    expect(parsed.namespaceURI).toBe('http://www.w3.org/2000/svg');
    expect(parsed.getAttribute('width')).toBe('600');
    expect(Number(parsed.getAttribute('height'))).toBeGreaterThan(300);
    expect(parsed.querySelector('rect')?.getAttribute('fill')).toBe('#ffffff');
    expect(text).toContain('Test accuracy');
    expect(text).toContain('fill="#123456"');
    // The page's own chart is not moved or changed.
    expect(svg.children).toHaveLength(1);
  });
});
