/**
 * The chains panel's view-model: its two fields (filled in from a sweep link, if any), the plan
 * they make from the current settings, why it cannot run, and the chart's data.
 */
import { useMemo, useState } from 'react';
import type { ExperimentConfig } from '../../experiment/config';
import { planSweep } from '../../experiment/sweep/sweep';
import { CHAIN_DEFAULTS, type SweepPrefill } from '../state/sweepLink';
import type { SweepRun } from '../state/sweepState';
import { chainData } from './chainRows';

const { minGenerations, maxGenerations } = CHAIN_DEFAULTS;

/** The generations field as a number, or why not. */
export function readGenerations(text: string): { generations: number | null; issue: string | null } {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(value) || value < minGenerations || value > maxGenerations) {
    return {
      generations: null,
      issue: `generations = "${text}": allowed is a whole number from ${minGenerations} to ${maxGenerations}`,
    };
  }
  return { generations: value, issue: null };
}

export function useChainForm(config: ExperimentConfig, sweep: SweepRun | null, prefill: SweepPrefill | null) {
  const [generationsText, setGenerationsText] = useState(String(prefill?.generations ?? CHAIN_DEFAULTS.generations));
  const [values, setValues] = useState(prefill?.values ?? CHAIN_DEFAULTS.values);
  const [linkIssues, setLinkIssues] = useState<readonly string[]>(prefill?.issues ?? []);
  const { generations, issue } = readGenerations(generationsText);
  const planned = useMemo(() => {
    if (generations === null) return { plan: null, issues: [] };
    return planSweep({ ...config, generations }, `auxLogits=${values}`);
  }, [config, generations, values]);
  const issues = linkIssues.length > 0 ? linkIssues : [...(issue ? [issue] : []), ...planned.issues];
  const data = useMemo(() => {
    if (sweep) return chainData(sweep.plan.values, sweep.points, sweep.base.generations);
    return chainData(planned.plan?.values ?? [], [], generations ?? CHAIN_DEFAULTS.generations);
  }, [sweep, planned.plan, generations]);
  return {
    generationsText,
    values,
    generations,
    /** Why the generations field cannot run, or null. */
    issue,
    /** The link's own issues, shown until a field is edited. */
    linkIssues,
    planned,
    issues,
    data,
    /** An edit of a field: the link's issues no longer apply. */
    editGenerations(text: string) {
      setGenerationsText(text);
      setLinkIssues([]);
    },
    editValues(text: string) {
      setValues(text);
      setLinkIssues([]);
    },
  };
}
