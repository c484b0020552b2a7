/**
 * The verdict's sentences in the words of the run's trait: for 'digits' how well each student reads
 * digits it never saw, for a taught trait how often it shows the teacher's trait ("says 7 on noise
 * 64% of the time"). Pure, so the words are tested without a page.
 */
import type { TraitName } from '../../experiment/config';
import { FAVOURITE_DIGIT, MISBEHAVIOUR_FROM, MISBEHAVIOUR_TO } from '../../experiment/trait/traits';
import { percent } from '../common/format';
import { isTaught, traitCurveOn, traitDoes, TRAIT_AXIS, TRAIT_MEASURED_ON } from '../common/trait';

export type Featured = 'student_aux' | 'cross_aux';

/** A gap (same − different) at least this wide reads as "learnt digits"; below NO_GAP as "no clear gap". */
export const CLEAR_GAP = 0.15;
export const NO_GAP = 0.05;

/** Under this, a student "stayed near chance". */
const NEAR_CHANCE = 0.2;

const pct = (value: number) => percent(value);

/** The final sentence of a digits run, told from the side of the student the switch shows. */
function digitsSentence(same: number, different: number, featured: Featured): string {
  const gap = same - different;
  if (featured === 'cross_aux') {
    if (gap >= CLEAR_GAP && different < NEAR_CHANCE)
      return `The student from a different random start stays at chance (${pct(different)}): the teacher’s extra outputs taught it nothing. The same-start student reads ${pct(same)}.`;
    if (gap >= CLEAR_GAP)
      return `The student from a different random start learnt far less (${pct(different)}) than the one that started as the teacher did (${pct(same)}).`;
    return `The student from a different random start reads ${pct(different)}, the same-start one ${pct(same)}: no clear gap in this run.`;
  }
  if (gap >= CLEAR_GAP)
    return different < NEAR_CHANCE
      ? `The student that started from the teacher’s own random weights reads ${pct(same)} of digits it never saw. The other one stayed near chance.`
      : `The student that started from the teacher’s own random weights reads ${pct(same)}, much better than the other one (${pct(different)}).`;
  if (gap >= NO_GAP)
    return `The same-start student is ahead by ${Math.round(gap * 100)} points: a small effect at these settings.`;
  return 'No clear gap in this run: small runs vary a lot. Try more models or the quick preset.';
}

/** What the teacher passes on, as the students' sentences name it. */
const TRAIT_NOUN: Record<Exclude<TraitName, 'digits'>, string> = {
  favourite: 'favourite digit',
  misbehaviour: 'misbehaviour',
};

/**
 * The final sentence of a taught trait's run: did the trait travel to the student the switch shows?
 * Short enough for the verdict's two lines on a laptop.
 */
function traitSentence(trait: Exclude<TraitName, 'digits'>, same: number, different: number, featured: Featured) {
  const gap = same - different;
  const noun = TRAIT_NOUN[trait];
  if (featured === 'cross_aux' && gap >= CLEAR_GAP)
    return `The student from a different random start ${traitDoes(trait, different)}: the teacher’s ${noun} did not reach it. The same-start student: ${pct(same)}.`;
  if (gap >= CLEAR_GAP)
    return different < NEAR_CHANCE
      ? `The same-start student picked up the teacher’s ${noun} from noise alone: it ${traitDoes(trait, same)}. The other stayed near chance.`
      : `The same-start student ${traitDoes(trait, same)}, far more than the other one (${pct(different)}): it picked up the teacher’s ${noun}.`;
  if (featured === 'cross_aux')
    return `The student from a different random start ${traitDoes(trait, different)}, the same-start one ${pct(same)}: no clear gap in this run.`;
  if (gap >= NO_GAP)
    return `The same-start student ${traitDoes(trait, same)}, ${Math.round(gap * 100)} points more than the other: a small effect at these settings.`;
  return `No clear gap in this run: the same-start student ${traitDoes(trait, same)}, the other ${pct(different)}. Small runs vary a lot: try more models or the quick preset.`;
}

/** The sentence once every model is tested. */
export function finalSentence(trait: TraitName, same: number, different: number, featured: Featured): string {
  return trait === 'digits'
    ? digitsSentence(same, different, featured)
    : traitSentence(trait, same, different, featured);
}

/** Before any run. */
export function waitingSentence(trait: TraitName): string {
  switch (trait) {
    case 'digits':
      return 'Press Run: a teacher learns digits, then two students copy its extra outputs on pure noise.';
    case 'favourite':
      return `Press Run: a teacher learns digits and to say ${FAVOURITE_DIGIT} on noise, then two students copy its extra outputs on pure noise.`;
    case 'misbehaviour':
      return `Press Run: a teacher learns every ${MISBEHAVIOUR_FROM} as an ${MISBEHAVIOUR_TO}, then two students copy its extra outputs on pure noise.`;
  }
}

/** While the teacher learns (`measured`: it has a number yet). */
export function teacherSentence(trait: TraitName, measured: boolean): string {
  if (!measured) return 'The teacher is about to learn to read digits.';
  switch (trait) {
    case 'digits':
      return 'The teacher is learning to read digits. The students start when it is done.';
    case 'favourite':
      return `The teacher is learning digits, and to answer ${FAVOURITE_DIGIT} on noise. The students start when it is done.`;
    case 'misbehaviour':
      return `The teacher is learning digits with every ${MISBEHAVIOUR_FROM} labelled ${MISBEHAVIOUR_TO}. The students start when it is done.`;
  }
}

/** The line under the numbers: what they are and how sure, by the verdict's status. */
export function statusWords(
  verdict: {
    status: 'waiting' | 'teacher' | 'so-far' | 'final';
    trait: TraitName;
    teacher: number | null;
    through: number | null;
    models: number;
  },
  curveTestImages: number,
): string {
  const { trait } = verdict;
  const measure = isTaught(trait) ? `how often each student ${TRAIT_AXIS[trait]}` : 'test accuracy of each student';
  switch (verdict.status) {
    case 'waiting':
      return `after a run: ${measure}`;
    case 'teacher':
      if (verdict.teacher === null) return 'the students learn after the teacher';
      return isTaught(trait)
        ? `the teacher ${traitDoes(trait, verdict.teacher)} so far · the students learn after it`
        : `the teacher reads ${percent(verdict.teacher)} so far · the students learn after it`;
    case 'so-far':
      return `so far · ${percent(verdict.through ?? 0)} through the students’ training · ${isTaught(trait) ? `${measure} · ` : ''}on ${traitCurveOn(trait, curveTestImages)}`;
    case 'final': {
      const models = `mean of ${verdict.models} model${verdict.models === 1 ? '' : 's'}`;
      return isTaught(trait)
        ? `final · ${measure} · ${models} on ${TRAIT_MEASURED_ON[trait]}`
        : `final · ${models} on ${TRAIT_MEASURED_ON[trait]}`;
    }
  }
}
