/**
 * The words over the hero chart's two regions ("the teacher learns", "the students copy it on
 * noise"), each as long as its region allows: shortened on a narrow chart, dropped when even the
 * short form would spill into its neighbour, so the two never print over each other.
 */

const TEACHER = ['the teacher learns', 'teacher learns', 'teacher'] as const;
const STUDENTS = ['the students copy it on noise', 'students copy on noise', 'students copy'] as const;

/**
 * A generous width of one character of the system sans-serif, in em: wider than the average, so a
 * label judged to fit does fit.
 */
const CHAR_EM = 0.56;
/** Room kept free on each side of a label, in em. */
const SIDE_EM = 0.5;

function longestThatFits(forms: readonly string[], regionPx: number, fontPx: number): string | null {
  return forms.find((words) => (words.length * CHAR_EM + 2 * SIDE_EM) * fontPx <= regionPx) ?? null;
}

export function regionLabels(
  plotWidthPx: number,
  teacherShare: number,
  fontPx: number,
): { teacher: string | null; students: string | null } {
  const teacherPx = plotWidthPx * teacherShare;
  return {
    teacher: longestThatFits(TEACHER, teacherPx, fontPx),
    students: longestThatFits(STUDENTS, plotWidthPx - teacherPx, fontPx),
  };
}

/** The page's rem in pixels (16 where there is no layout, as in tests). */
export function remPx(): number {
  const size = typeof window === 'undefined' ? NaN : parseFloat(getComputedStyle(document.documentElement).fontSize);
  return Number.isFinite(size) && size > 0 ? size : 16;
}
